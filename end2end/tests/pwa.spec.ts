import { test, expect } from "@playwright/test";
import { DEMO_PASSWORD, signIn, signOut, underServiceWorker, withRealProfile } from "./support";

// Installability and service workers need a real (non-incognito) profile: these tests launch
// their own (`withRealProfile`) instead of using the default context.
test("the app is installable and shows the offline page without a network", async ({ baseURL }) => {
  await withRealProfile(baseURL, async (context, page) => {
    await underServiceWorker(page, "/");

    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);
    const manifest = await cdp.send("Page.getAppManifest");
    expect(manifest.errors).toEqual([]);

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole("heading", { name: "You are offline" })).toBeVisible();
    await context.setOffline(false);
  });
});

test("the manifest offers shortcuts, a maskable icon and a language; the home page has a preview image", async ({ page, request }) => {
  const manifest = await (await request.get("/manifest.webmanifest")).json();
  expect(manifest.lang).toBe("en");
  expect(manifest.shortcuts.map((s: { url: string }) => s.url)).toEqual(["/my/tickets", "/search"]);
  expect(manifest.icons).toContainEqual(expect.objectContaining({ sizes: "192x192", purpose: "maskable" }));
  for (const file of [...manifest.icons, ...manifest.screenshots]) {
    const response = await request.get(file.src);
    expect(response.status(), file.src).toBe(200);
  }
  await page.goto("/");
  const image = await page.locator('meta[property="og:image"]').getAttribute("content");
  expect(image).toMatch(/\/og-home\.jpg$/);
  const preview = await request.get(new URL(image!).pathname);
  expect(preview.status()).toBe(200);
  expect(preview.headers()["content-type"]).toContain("image/jpeg");
});

test("tickets stay available offline, marked as a copy, and are forgotten at sign-out", async ({ baseURL }) => {
  await withRealProfile(baseURL, async (context, page) => {
    await underServiceWorker(page, "/");
    await signIn(page, "ana@lineup.test", DEMO_PASSWORD);

    await page.goto("/my/tickets");
    const first = page.locator('a[href^="/my/tickets/"]').first();
    const href = await first.getAttribute("href");
    expect(href).toBeTruthy();
    await page.goto(href!);
    const qr = page.getByRole("img", { name: /QR code of ticket/ }).first();
    await expect(qr).toBeVisible();
    await expect(page.getByTestId("offline-copy")).toHaveCount(0);

    // no network: the same ticket, its QR code drawn, marked as the kept copy
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId("offline-copy")).toContainText("Offline copy, last updated");
    await expect(qr).toBeVisible();
    await expect(qr.locator("svg")).toHaveCount(1);
    await page.goto("/my/tickets");
    await expect(page.getByTestId("offline-copy")).toBeVisible();
    await expect(page.locator(`a[href="${href}"]`)).toBeVisible();

    // back online the page is fresh again; signing out forgets the kept tickets
    await context.setOffline(false);
    await page.goto(href!);
    await expect(page.getByTestId("offline-copy")).toHaveCount(0);
    await signOut(page);
    await expect
      .poll(() => page.evaluate(async () => (await caches.keys()).includes("lineup-tickets-v1") && (await (await caches.open("lineup-tickets-v1")).keys()).length > 0))
      .toBe(false);
    await context.setOffline(true);
    await page.goto(href!).catch(() => undefined);
    await expect(page.getByRole("heading", { name: "You are offline" })).toBeVisible();
    await expect(page.getByRole("img", { name: /QR code of ticket/ })).toHaveCount(0);
    await context.setOffline(false);
  });
});

test("the home page's rows use the whole width: the cards start under their heading", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/");
  const shelf = page.locator("section.shelf").first();
  const heading = await shelf.locator(".row-head h2").boundingBox();
  const card = await shelf.locator(".card").first().boundingBox();
  const row = await shelf.boundingBox();
  expect(heading && card && row).toBeTruthy();
  expect(card!.y).toBeGreaterThanOrEqual(heading!.y + heading!.height);
  expect(Math.abs(card!.x - heading!.x)).toBeLessThan(24);
  expect(row!.width).toBeGreaterThan(1000);
});

test("a new version waits and offers a reload; nothing reloads by itself", async ({ baseURL }) => {
  await withRealProfile(baseURL, async (_context, page) => {
    await underServiceWorker(page, "/signin");
    const typed = page.getByLabel("Email");
    await typed.fill("half-typed@example.com");

    // a new worker script for the same scope, as a deploy would bring: it installs and waits
    await page.evaluate(() => navigator.serviceWorker.register("/sw.js?next"));
    const offer = page.locator("#update-ready");
    await expect(offer).toContainText("A new version of Lineup is ready.");
    await page.waitForTimeout(1000);
    await expect(typed).toHaveValue("half-typed@example.com");
    expect(await page.evaluate(() => navigator.serviceWorker.controller!.scriptURL)).toMatch(/\/sw\.js$/);

    // consent: the new worker takes over and the page reloads once
    await Promise.all([page.waitForEvent("load"), offer.getByRole("button", { name: "Reload" }).click()]);
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? ""))
      .toMatch(/\/sw\.js\?next$/);
  });
});
