import { test, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { DEMO_PASSWORD, signIn } from "./support";

// axe-core on every kind of page, in the light and the dark scheme: no serious or critical
// violation (WCAG 2.1 A/AA rules and axe's best practices).
async function audit(page: Page, what: string) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: "reduce" });
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
    const bad = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join("\n  ")}`);
    expect(bad, `${what}, ${colorScheme}`).toEqual([]);
  }
}

test("public pages: home, search, an event, a form with errors", async ({ page }) => {
  await page.goto("/");
  await audit(page, "home");
  await page.goto("/search?q=jazz");
  await expect(page.locator(".results-bar .total")).toBeVisible();
  await audit(page, "search");
  await page.goto("/");
  const event = await page.locator('a[href^="/events/"]').first().getAttribute("href");
  await page.goto(event!);
  await audit(page, "event");
  await page.goto("/signin");
  await page.getByLabel("Email").fill("ana@lineup.test");
  await page.getByLabel("Password").fill("not her password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator(".form-message, .field-error").first()).toBeVisible();
  await audit(page, "sign-in form with an error");
});

test("an attendee's pages: tickets, a ticket, the profile", async ({ page }) => {
  await signIn(page, "ana@lineup.test", DEMO_PASSWORD);
  await page.goto("/my/tickets");
  await audit(page, "my tickets");
  const ticket = await page.locator('a[href^="/my/tickets/"]').first().getAttribute("href");
  await page.goto(ticket!);
  await expect(page.getByRole("img", { name: /QR code of ticket/ }).first()).toBeVisible();
  await audit(page, "a ticket");
  await page.goto("/profile");
  await audit(page, "profile");
});

test("the back office: the curation queue, an organizer's guest list and event form", async ({ page }) => {
  await signIn(page, "curator@lineup.test", DEMO_PASSWORD);
  await page.goto("/curation");
  await audit(page, "curation queue");
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "collective@lineup.test", DEMO_PASSWORD);
  await page.goto("/my/events");
  const hrefs = await page.locator('a[href^="/events/"]').evaluateAll((links) => links.map((a) => a.getAttribute("href") || ""));
  const id = hrefs.map((h) => h.match(/^\/events\/(\d+)/)).find((m) => m)![1];
  await page.goto(`/events/${id}/guests`);
  await audit(page, "guest list");
  await page.goto("/events/new");
  // past the browser's own checks, to see the server's errors
  const save = page.getByRole("button", { name: /Save draft/ });
  await save.evaluate((b) => { (b as HTMLButtonElement).form!.noValidate = true; });
  await save.click();
  await expect(page.locator(".field-error, .form-message").first()).toBeVisible();
  await audit(page, "event form with errors");
});
