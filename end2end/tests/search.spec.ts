import { test, expect, Page } from "@playwright/test";

// Search against the seeded demo data (240 events in Berlin and Lisbon). Queries are derived
// from what the page shows, so the tests follow the generator instead of hard-coding titles.

const BERLIN = { latitude: 52.52, longitude: 13.405 };

async function enhanced(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("data-enhanced", "true");
}

function total(page: Page) {
  return page.locator(".results p.total");
}

/** "12 events" → 12, "1 event" → 1, "No events found" → 0. */
async function totalCount(page: Page): Promise<number> {
  const text = (await total(page).textContent()) ?? "";
  const m = text.match(/(\d+) events?/);
  return m ? Number(m[1]) : 0;
}

/** "850 m away" / "2.4 km away" / "120 km away" → metres. */
function metres(label: string): number {
  const m = label.match(/([\d.]+)\s*(m|km)/);
  if (!m) throw new Error(`not a distance: ${label}`);
  return Number(m[1]) * (m[2] === "km" ? 1000 : 1);
}

async function distances(page: Page): Promise<number[]> {
  return (await page.locator("ol.hits li.hit .distance").allTextContents()).map(metres);
}

/** A word of at least 7 letters from the first result's title, and that word with a typo. */
async function typoOfFirstTitle(page: Page): Promise<{ word: string; typo: string }> {
  const titles = await page.locator("ol.hits li.hit h2").allTextContents();
  for (const title of titles) {
    const word = title.split(/[^A-Za-z]+/).find((w) => w.length >= 7);
    if (word) {
      // swap two letters in the middle: one typo (a transposition)
      const i = Math.floor(word.length / 2);
      const typo = (word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2)).toLowerCase();
      return { word, typo };
    }
  }
  throw new Error(`no title with a long word among ${titles.length}`);
}

test("typing searches in place, forgives a typo, marks matches and suggests", async ({ page }) => {
  await page.goto("/search");
  await enhanced(page);
  const everything = await totalCount(page);
  expect(everything).toBeGreaterThan(20);
  const { word, typo } = await typoOfFirstTitle(page);

  // a full reload would drop this marker
  await page.evaluate(() => ((window as any).__stayed = true));
  await page.locator("#search-q").pressSequentially(typo, { delay: 20 });
  await expect(page).toHaveURL(new RegExp(`[?&]q=${typo}`));
  await expect.poll(() => totalCount(page)).toBeLessThan(everything);
  expect(await totalCount(page)).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as any).__stayed)).toBe(true);

  const marks = page.locator("ol.hits li.hit h2 mark");
  await expect(marks.first()).toBeVisible();
  expect((await marks.allTextContents()).map((m) => m.toLowerCase())).toContain(word.toLowerCase());

  const suggestions = page.locator("#search-suggestions");
  await expect(suggestions).toBeVisible();
  expect(await suggestions.locator("li[role=option]").count()).toBeGreaterThan(0);
  await page.locator("#search-q").press("Escape");
  await expect(suggestions).toBeHidden();

  // the URL it left is the same search when opened directly
  const shown = await totalCount(page);
  await page.goto(page.url());
  await expect(total(page)).toHaveText(shown === 1 ? "1 event" : `${shown} events`);
  await expect(page.locator("#search-q")).toHaveValue(typo);
});

test("a category facet narrows to its count, keeps the other counts, and Back undoes it", async ({ page }) => {
  await page.goto("/search");
  await enhanced(page);
  const before = await totalCount(page);
  const facets = page.locator(".facet-category label.facet");
  const counts = await facets.evaluateAll((labels) =>
    labels.map((l) => ({
      value: l.getAttribute("data-value") ?? "",
      count: Number(l.querySelector(".count")?.textContent ?? "0"),
    })),
  );
  const nonEmpty = counts.filter((c) => c.count > 0).sort((a, b) => b.count - a.count);
  expect(nonEmpty.length).toBeGreaterThan(1);
  const chosen = nonEmpty[1];
  expect(nonEmpty.reduce((sum, c) => sum + c.count, 0)).toBe(before);

  await page.locator(`.facet-category label.facet[data-value="${chosen.value}"] input`).check();
  await expect(page).toHaveURL(new RegExp(`[?&]cat=${chosen.value}`));
  await expect.poll(() => totalCount(page)).toBe(chosen.count);
  expect(await page.locator("ol.hits li.hit").count()).toBe(Math.min(chosen.count, 20));
  // disjunctive: the other categories still show what choosing them would add
  const other = nonEmpty[0];
  await expect(page.locator(`.facet-category label.facet[data-value="${other.value}"] .count`)).toHaveText(String(other.count));

  await page.goBack();
  await expect(page).not.toHaveURL(/cat=/);
  await expect.poll(() => totalCount(page)).toBe(before);
  await expect(page.locator(`.facet-category label.facet[data-value="${chosen.value}"] input`)).not.toBeChecked();
  await page.goForward();
  await expect.poll(() => totalCount(page)).toBe(chosen.count);
  await expect(page.locator(`.facet-category label.facet[data-value="${chosen.value}"] input`)).toBeChecked();
});

test("nearest first: distances grow and stay inside the radius", async ({ page }) => {
  await page.goto("/search?near=here&lat=52.52&lng=13.405&radius=25&sort=nearest");
  const found = await distances(page);
  expect(found.length).toBeGreaterThan(3);
  for (let i = 1; i < found.length; i++) expect(found[i]).toBeGreaterThanOrEqual(found[i - 1] - 50);
  expect(Math.max(...found)).toBeLessThanOrEqual(25_000);
});

test.describe("with the browser's location", () => {
  test.use({ geolocation: BERLIN, permissions: ["geolocation"] });

  test("Use my location searches near the person", async ({ page }) => {
    await page.goto("/search");
    await enhanced(page);
    const everything = await totalCount(page);
    await page.getByRole("button", { name: "Use my location" }).click();
    await expect(page).toHaveURL(/near=here/);
    await expect(page).toHaveURL(/lat=52\.52/);
    await expect.poll(() => totalCount(page)).toBeLessThan(everything);
    const found = await distances(page);
    expect(found.length).toBeGreaterThan(0);
    expect(Math.max(...found)).toBeLessThanOrEqual(10_000);
  });
});

test.describe("without location permission", () => {
  test.use({ permissions: [] });

  test("a refused location says so", async ({ page, context }) => {
    await context.clearPermissions();
    await page.goto("/search");
    await enhanced(page);
    await page.getByRole("button", { name: "Use my location" }).click();
    await expect(page.locator(".locating")).toContainText(/denied|could not be found/);
    await expect(page).not.toHaveURL(/near=here/);
  });
});

test("the home page's search box suggests, and arrows plus Enter open a suggestion", async ({ page }) => {
  await page.goto("/");
  await enhanced(page);
  const box = page.locator("#search-q");
  await box.pressSequentially("berl", { delay: 30 });
  const options = page.locator("#search-suggestions li[role=option]");
  await expect(options.first()).toBeVisible();
  const href = await options.first().locator("a").getAttribute("href");
  expect(href).toBeTruthy();
  await box.press("ArrowDown");
  await expect(options.first()).toHaveAttribute("aria-selected", "true");
  await box.press("Enter");
  await expect(page).toHaveURL((url) => url.pathname + url.search === href);

  // Enter without a chosen suggestion searches for the text
  await page.goto("/");
  await enhanced(page);
  await page.locator("#search-q").fill("yoga");
  await page.locator("#search-q").press("Enter");
  await expect(page).toHaveURL(/\/search\?q=yoga/);
  expect(await totalCount(page)).toBeGreaterThan(0);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the search form and its filters work as plain HTML", async ({ page }) => {
    await page.goto("/search");
    const everything = await totalCount(page);
    expect(everything).toBeGreaterThan(20);
    await page.locator("#search-q").fill("workshop");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(/q=workshop/);
    const workshops = await totalCount(page);
    expect(workshops).toBeGreaterThan(0);
    expect(workshops).toBeLessThan(everything);
    await expect(page.locator("ol.hits li.hit h2 mark").first()).toHaveText(/workshop/i);
    // choose the price group's value with results; the total becomes its count
    const price = async (value: string) =>
      Number(await page.locator(`.facet-price label.facet[data-value=${value}] .count`).textContent());
    const [free, paid] = [await price("free"), await price("paid")];
    expect(free + paid).toBe(workshops);
    const value = paid > 0 ? "paid" : "free";
    await page.locator(`.facet-price label.facet[data-value=${value}] input`).check();
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`price=${value}`));
    await expect(page).toHaveURL(/q=workshop/);
    expect(await totalCount(page)).toBe(value === "paid" ? paid : free);
    await expect(page.locator(`.facet-price label.facet[data-value=${value}] input`)).toBeChecked();
    // the place and radius ride along in the form
    await page.goto("/search?near=here&lat=52.52&lng=13.405&radius=25&sort=nearest");
    const near = await totalCount(page);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(/lat=52\.52/);
    await expect(page).toHaveURL(/radius=25/);
    expect(await totalCount(page)).toBe(near);
    // a bad parameter is explained, not a failure
    await page.goto("/search?radius=abc&sort=sideways");
    await expect(page.locator("ul.problems")).toBeVisible();
    expect(await totalCount(page)).toBe(everything);
  });
});
