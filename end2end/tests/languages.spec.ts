import { test, expect } from "@playwright/test";
import { signUp, uniqueEmail } from "./support";

// Pages come in the browser's language (Accept-Language), the footer's switch changes it for this
// browser, and an account's choice follows the person to the next browser they sign in on.
test("the browser's language is chosen, the switch changes it and brings you back", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, locale: "de-DE" });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  const nav = page.getByRole("navigation", { name: "Hauptmenü" });
  await expect(nav.getByRole("link", { name: "Entdecken" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Deutsch" })).toHaveAttribute("aria-pressed", "true");

  // from an event page to Portuguese: the same page comes back, in Portuguese
  const event = await page.locator('a[href^="/events/"]').first().getAttribute("href");
  await page.goto(event!);
  await page.getByRole("button", { name: "Português" }).click();
  await expect(page.getByText("O Lineup está agora em português.")).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(event);
  await expect(page.locator("html")).toHaveAttribute("lang", "pt-PT");
  await expect(page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Descobrir" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Português" })).toHaveAttribute("aria-pressed", "true");
  // the page's scripts speak its language too: Chromium on Linux has no share sheet, so the
  // button copies the link
  await expect(page.getByRole("button", { name: "Copiar ligação" })).toBeVisible();

  // the choice is this browser's, whatever it accepts
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "pt-PT");
  await context.close();
});

test("an account's language follows the person to another browser", async ({ browser, baseURL }) => {
  const email = uniqueEmail("lena");
  const first = await browser.newContext({ baseURL, locale: "en-GB" });
  const page = await first.newPage();
  await signUp(page, email, { name: "Lena" });
  await page.goto("/profile");
  await page.locator("#language-profile").locator("..").getByRole("button", { name: "Deutsch" }).click();
  await expect(page.getByText("Lineup ist jetzt auf Deutsch.")).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await first.close();

  // a new browser asks for English; once Lena signs in, Lineup speaks German to her
  const second = await browser.newContext({ baseURL, locale: "en-US" });
  const again = await second.newPage();
  await again.goto("/signin");
  await expect(again.locator("html")).toHaveAttribute("lang", "en");
  await again.locator('input[name="email"]').fill(email);
  await again.locator('input[name="password"]').fill("a long password");
  await again.locator('form[action*="sign_in"] button[type="submit"]').click();
  await expect(again.locator("html")).toHaveAttribute("lang", "de");
  await expect(again.getByRole("link", { name: "Meine Tickets" }).first()).toBeVisible();
  await second.close();
});
