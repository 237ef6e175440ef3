// Lighthouse (mobile profile) on the home page, a search and an event page of a running Lineup,
// with Debian's Chromium. Usage: node lighthouse.mjs http://127.0.0.1:3000 [minimum]
// Prints each page's four scores and one JSON line; exits 1 when a score is under the minimum
// (95 unless given). With LIGHTHOUSE_REPORTS=DIR it also writes each page's full report there
// (NAME.json, for the timings and the audits behind a score). Run it against the release build (`cargo leptos serve --release`, or the
// README's run command): a debug build's wasm is many times larger.
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { mkdirSync, writeFileSync } from "node:fs";

const base = (process.argv[2] || "http://127.0.0.1:3000").replace(/\/$/, "");
const minimum = Number(process.argv[3] || 95);
const chromePath = process.env.CHROMIUM || "/usr/bin/chromium";
const reports = process.env.LIGHTHOUSE_REPORTS;
if (reports) mkdirSync(reports, { recursive: true });

async function eventPath() {
  const home = await (await fetch(`${base}/`)).text();
  const match = home.match(/href="(\/events\/\d+)"/);
  if (!match) throw new Error("no event linked from the home page");
  return match[1];
}

const pages = [["home", "/"], ["search", "/search?q=music"], ["event", await eventPath()]];
const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const results = {};
let failed = false;
try {
  for (const [name, path] of pages) {
    const run = await lighthouse(`${base}${path}`, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
    });
    const scores = Object.fromEntries(
      Object.entries(run.lhr.categories).map(([k, c]) => [k, Math.round(c.score * 100)])
    );
    results[name] = scores;
    if (reports) writeFileSync(`${reports}/${name}.json`, run.report);
    const low = Object.entries(scores).filter(([, s]) => s < minimum);
    console.log(`${name} ${path}: ${Object.entries(scores).map(([k, s]) => `${k} ${s}`).join(", ")}`);
    for (const [k] of low) {
      failed = true;
      const audits = run.lhr.categories[k].auditRefs
        .map((r) => run.lhr.audits[r.id])
        .filter((a) => a.score !== null && a.score < 0.9)
        .map((a) => `    ${a.id}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ""}`);
      console.log(`  ${k} under ${minimum}:\n${audits.join("\n")}`);
    }
  }
} finally {
  await chrome.kill();
}
console.log(JSON.stringify({ lighthouse: results, minimum }));
process.exit(failed ? 1 : 0);
