import { BrowserContext, Page, chromium, expect } from "@playwright/test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { chromiumArgs, chromiumPath } from "../playwright.config";

export const DEMO_PASSWORD = "lineup-demo";

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Signs a new account up; organizers (or `verify: true`) also confirm their address from the
 *  mailed link, as publishing needs. */
export async function signUp(page: Page, email: string, opts: { organizer?: boolean; name?: string; verify?: boolean } = {}) {
  await page.goto("/signup");
  await page.getByLabel("Your name").fill(opts.name ?? "E2E Person");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long password");
  if (opts.organizer) await page.getByLabel("I organize events").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(/Welcome to Lineup/)).toBeVisible();
  if (opts.verify ?? opts.organizer) await confirmAddress(page, email);
}

/** The text of the newest mail to `email` with `subject`, read the way the demo's admin reads
 *  mail: at /admin/mail, in a separate browser context (waits for the mail worker). */
export async function mailText(page: Page, email: string, subject: string): Promise<string> {
  const origin = new URL(page.url()).origin;
  const context = await page.context().browser()!.newContext({ baseURL: origin });
  const admin = await context.newPage();
  try {
    await signIn(admin, "admin@lineup.test", DEMO_PASSWORD);
    const row = admin.getByRole("row").filter({ hasText: email }).filter({ hasText: subject }).first();
    await expect(async () => {
      await admin.goto("/admin/mail");
      await expect(row).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 10_000 });
    await row.getByRole("link").click();
    return (await admin.locator(".mail-text").textContent()) ?? "";
  } finally {
    await context.close();
  }
}

/** The path (with its query) of the token link in the newest mail to `email` with `subject`. */
export async function mailedLink(page: Page, email: string, subject: string): Promise<string> {
  const text = await mailText(page, email, subject);
  const url = text.match(/https?:\/\/\S+token=[0-9a-f]{64}/);
  expect(url, `a link in: ${text}`).not.toBeNull();
  const link = new URL(url![0]);
  return link.pathname + link.search;
}

/** Opens the confirmation link mailed to `email` and confirms, as its owner would. */
export async function confirmAddress(page: Page, email: string) {
  const path = await mailedLink(page, email, "Confirm your email address for Lineup");
  await page.goto(path);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page.getByText("Thank you: your email address is confirmed.")).toBeVisible();
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(/Signed in as/)).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("Signed out.")).toBeVisible();
}

/** A small real PNG (a coloured square), built in memory. */
export function pngBytes(size = 32): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) row.set([59, 43 + y * 4, 181], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A datetime-local value `days` from now at 19:00. */
export function localDateTime(days: number, hour = 19): string {
  const d = new Date(Date.now() + days * 86400_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hour)}:00`;
}

/** An organizer's free event, submitted and approved by the demo curator; returns its path. */
export async function publishedFreeEvent(page: Page, organizer: string, title: string): Promise<string> {
  await signUp(page, organizer, { organizer: true, name: "Olga Organizer" });
  await page.getByRole("link", { name: "New event" }).click();
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel(/Summary/).fill("Songs around the piano");
  await page.getByLabel(/Description/).fill("Bring your voice.");
  await page.getByLabel("Category", { exact: true }).selectOption("music");
  await page.getByLabel("Starts", { exact: true }).fill(localDateTime(4));
  await page.getByLabel("Ends", { exact: true }).fill(localDateTime(4, 22));
  await page.getByLabel("Time zone", { exact: true }).fill("Europe/Berlin");
  await page.getByLabel("Venue", { exact: true }).fill("Klavierhaus");
  await page.getByLabel("Address", { exact: true }).fill("Ackerstraße 5");
  await page.getByLabel("Capacity", { exact: true }).fill("30");
  await page.getByLabel("Free event").check();
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("Saved and submitted for review.")).toBeVisible();
  const path = new URL(page.url()).pathname;
  await signOut(page);

  await signIn(page, "curator@lineup.test", DEMO_PASSWORD);
  await page.getByRole("link", { name: "Review queue" }).click();
  await page.getByRole("link", { name: title }).click();
  await page.getByLabel("Approve").check();
  await page.getByLabel("Note to the organizer (required)").fill("Lovely, approved.");
  await page.getByRole("button", { name: "Record decision" }).click();
  await expect(page.getByText(`Approved “${title}”: it is public now.`)).toBeVisible();
  await signOut(page);
  return path;
}

/** Runs `body` in a browser with a real (non-incognito) profile, which service workers,
 *  installability and notifications want; the profile is removed afterwards. */
export async function withRealProfile(
  baseURL: string | undefined,
  body: (context: BrowserContext, page: Page) => Promise<void>,
) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "lineup-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    baseURL,
  });
  try {
    await body(context, await context.newPage());
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** Opens `path` and reloads it once the service worker is active, so the page is controlled. */
export async function underServiceWorker(page: Page, path = "/") {
  await page.goto(path);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

/** A video file for Chromium's fake camera (`--use-file-for-fake-video-capture`): one 640×480
 *  frame in YUV4MPEG2 showing `svg` (a ticket's QR code, as the page draws it) held up in front
 *  of a grey wall. The frame is drawn by the browser itself, so no image library is needed. */
export async function cameraFileShowing(page: Page, svg: string): Promise<string> {
  const [width, height] = [640, 480];
  const blank = await page.context().newPage();
  let luma: number[];
  try {
    luma = await blank.evaluate(async ({ svg, width, height }) => {
      const image = new Image();
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext("2d")!;
      context.fillStyle = "#8a8a8a";
      context.fillRect(0, 0, width, height);
      context.drawImage(image, 210, 110, 260, 260);
      const rgba = context.getImageData(0, 0, width, height).data;
      const out = new Array<number>(width * height);
      for (let i = 0; i < width * height; i++) {
        out[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
      }
      return out;
    }, { svg, width, height });
  } finally {
    await blank.close();
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lineup-camera-")), "ticket.y4m");
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`);
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  fs.writeFileSync(file, Buffer.concat([header, Buffer.from(luma), chroma]));
  return file;
}
