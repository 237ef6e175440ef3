import { test, expect } from "@playwright/test";
import { DEMO_PASSWORD, localDateTime, pngBytes, signIn, signOut, signUp, uniqueEmail } from "./support";

test("sign up, create an event with a cover, a curator approves it, it shows on the home page", async ({ page }) => {
  const title = `Canal Jazz Session ${Date.now()}`;
  await signUp(page, uniqueEmail("organizer"), { organizer: true, name: "Olga Organizer" });

  await page.getByRole("link", { name: "New event" }).click();
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel(/Summary/).fill("Warm jazz by the canal with friends");
  await page.getByLabel(/Description/).fill("Come **early** for a seat.\n\n<script>alert('x')</script>");
  await page.getByLabel("Category", { exact: true }).selectOption("music");
  await page.getByLabel("Tags", { exact: true }).fill("jazz, live");
  await page.getByLabel("Starts", { exact: true }).fill(localDateTime(1));
  await page.getByLabel("Ends", { exact: true }).fill(localDateTime(1, 22));
  await page.getByLabel("Time zone", { exact: true }).fill("Europe/Berlin");
  await page.getByLabel("Venue", { exact: true }).fill("Kesselhaus");
  await page.getByLabel("City", { exact: true }).fill("Berlin");
  await page.getByLabel("Address", { exact: true }).fill("Schönhauser Allee 36");
  await page.getByLabel("Latitude", { exact: true }).fill("52.539");
  await page.getByLabel("Longitude", { exact: true }).fill("13.413");
  await page.getByLabel("Capacity", { exact: true }).fill("80");
  await page.getByLabel("Cover image").setInputFiles({ name: "cover.png", mimeType: "image/png", buffer: pngBytes() });
  await page.getByRole("button", { name: "Submit for review" }).click();

  await expect(page.getByText("Saved and submitted for review.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.locator(".event-description strong")).toHaveText("early");
  const cover = page.locator("img.event-cover");
  await expect(cover).toBeVisible();
  // the browser picks the WebP copy; the upload's own size stays on the img (no layout shift)
  await expect.poll(() => cover.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  expect(await cover.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(/\/media\/[0-9a-f]{64}\.webp$/);
  await expect(cover).toHaveAttribute("width", "32");
  await expect(cover).toHaveAttribute("fetchpriority", "high");

  await page.getByRole("link", { name: "My events" }).click();
  await expect(page.getByRole("row", { name: new RegExp(title) })).toContainText("Submitted for review");
  await signOut(page);

  await page.goto("/");
  await expect(page.getByText(title)).toHaveCount(0);

  await signIn(page, "curator@lineup.test", DEMO_PASSWORD);
  await page.getByRole("link", { name: "Review queue" }).click();
  await page.getByRole("link", { name: title }).click();
  await page.getByLabel("Approve").check();
  await page.getByLabel("Note to the organizer (required)").fill("Lovely, welcome!");
  await page.getByRole("button", { name: "Record decision" }).click();
  await expect(page.getByText(`Approved “${title}”: it is public now.`)).toBeVisible();
  await signOut(page);

  await page.goto("/?category=music");
  await page.getByRole("link", { name: new RegExp(title) }).click();
  await expect(page).toHaveTitle(`${title} · Lineup`);
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", title);
});

test("the home page shows demo events grouped by day and filters by category", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Upcoming events" })).toBeVisible();
  expect(await page.locator(".day").count()).toBeGreaterThan(3);
  await page.getByRole("navigation", { name: "Categories" }).getByRole("link", { name: "Outdoors" }).click();
  await expect(page).toHaveURL(/category=outdoors/);
  const chips = page.locator(".card .chip");
  expect(await chips.count()).toBeGreaterThan(0);
  for (const text of await chips.allTextContents()) expect(text).toBe("Outdoors");
});

test("an event page offers calendar links and copies its address to share it", async ({ page, context, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await page.goto("/");
  const href = await page.locator('a[href^="/events/"]').first().getAttribute("href");
  await page.goto(href!);
  const google = await page.getByRole("link", { name: "Google Calendar" }).getAttribute("href");
  expect(google).toMatch(/^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE&text=.+&dates=\d{8}T\d{6}Z%2F\d{8}T\d{6}Z/);
  const outlook = await page.getByRole("link", { name: "Outlook" }).getAttribute("href");
  expect(outlook).toContain("https://outlook.live.com/calendar/0/action/compose?");
  await expect(page.getByRole("link", { name: "Calendar file (.ics)" })).toHaveAttribute("href", `${href}/calendar.ics`);
  // Chromium on Linux has no share sheet: the button copies the link
  const share = page.getByRole("button", { name: /^(Share|Copy link)$/ });
  await expect(share).toBeVisible();
  expect(await page.evaluate(() => "share" in navigator)).toBe(false);
  await expect(share).toHaveText("Copy link");
  await share.click();
  await expect(page.getByRole("status").filter({ hasText: "Link copied." })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const canonical = await page.locator('link[rel="canonical"]').getAttribute("href");
  expect(copied).toBe(canonical);
});
