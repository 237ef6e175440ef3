import { test, expect } from "@playwright/test";
import { signUp, uniqueEmail } from "./support";

test("save an event from a recommendation, find it under Saved, and see “For you” explain itself by it", async ({ page }) => {
  await signUp(page, uniqueEmail("rita-recs"), { name: "Rita Recs" });

  // a new person: a list from what is popular and new, every card saying why
  await page.getByRole("link", { name: "For you", exact: true }).click();
  const cards = page.locator(".for-you .card");
  await expect(cards.first()).toBeVisible();
  const reasons = page.locator(".for-you .card-reason");
  expect(await reasons.count()).toBe(await cards.count());
  for (const reason of await reasons.allTextContents()) {
    expect(reason).not.toMatch(/^Because you saved/);
  }

  // open the first recommendation and save it
  const first = cards.first();
  const title = (await first.locator("h3").textContent())!.trim();
  const savedHref = (await first.locator("a.card-link").getAttribute("href"))!;
  await first.locator("a.card-link").click();
  await expect(page).toHaveURL(/\/events\/\d+\?via=recs$/);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await page.getByRole("button", { name: `Save ${title}` }).click();
  await expect(page.getByText("Saved. You'll find it under Saved.")).toBeVisible();
  await expect(page.getByRole("button", { name: `Remove ${title} from saved` })).toHaveAttribute("aria-pressed", "true");

  await page.getByRole("link", { name: "Saved", exact: true }).click();
  await expect(page.locator(".saved .card h3", { hasText: title })).toBeVisible();

  // the list now follows the save
  await page.getByRole("link", { name: "For you", exact: true }).click();
  await expect(page.locator(".for-you .card-reason", { hasText: `Because you saved ${title}` }).first()).toBeVisible();
  await expect(page.locator(`.for-you a.card-link[href="${savedHref}"]`)).toHaveCount(0);

  // "Not interested" takes a card away
  const dismissed = (await cards.last().locator("h3").textContent())!.trim();
  const dismissedHref = (await cards.last().locator("a.card-link").getAttribute("href"))!;
  await cards.last().getByRole("button", { name: `Not interested in ${dismissed}` }).click();
  await expect(page.getByText("Got it: you won't see this event in your recommendations.")).toBeVisible();
  await expect(page.locator(`.for-you a.card-link[href="${dismissedHref}"]`)).toHaveCount(0);

  // and the home page opens with the person's own row
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 2, name: "For you" })).toBeVisible();
});
