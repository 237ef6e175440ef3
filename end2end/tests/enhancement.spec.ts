import { test, expect } from "@playwright/test";
import { localDateTime, signUp, uniqueEmail } from "./support";

test("hydrated islands count characters as you type", async ({ page }) => {
  await signUp(page, uniqueEmail("typist"), { organizer: true });
  await page.goto("/events/new");
  await expect(page.locator("html")).toHaveAttribute("data-enhanced", "true");
  const counter = page.locator(".field", { has: page.getByLabel(/Summary/) }).locator("[data-counter]");
  await expect(counter).toHaveText("0 / 200");
  await page.getByLabel(/Summary/).pressSequentially("Hello there");
  await expect(counter).toHaveText("11 / 200");
  // the location fields follow the choice once enhanced
  await page.getByLabel("Online", { exact: true }).check();
  await expect(page.getByLabel("Venue", { exact: true })).toBeHidden();
  await expect(page.getByLabel("Online link")).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("pages render and forms work as plain HTML", async ({ page }) => {
    await page.goto("/");
    expect(await page.locator(".card").count()).toBeGreaterThan(10);
    await expect(page.locator("html")).not.toHaveAttribute("data-enhanced", "true");

    await page.goto("/signin");
    await page.getByLabel("Email").fill("nobody@example.com");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("That email and password do not match an account.")).toBeVisible();

    await signUp(page, uniqueEmail("nojs"), { organizer: true });
    await page.goto("/events/new");
    // everything the browser itself checks is filled in; the server finds the mistake
    await page.getByLabel("Title").fill("Backwards in time");
    await page.getByLabel(/Summary/).fill("Ends before it starts");
    await page.getByLabel("Category").selectOption("arts");
    await page.getByLabel("Starts").fill(localDateTime(3, 20));
    await page.getByLabel("Ends").fill(localDateTime(3, 18));
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page).toHaveURL(/\/events\/new$/);
    await expect(page.locator("#field-ends_at-error")).toHaveText("End time must be after the start time.");
    await expect(page.getByLabel("Title")).toHaveValue("Backwards in time");
  });
});
