import { test, expect, Page } from "@playwright/test";
import { publishedFreeEvent, signIn, signOut, signUp, uniqueEmail } from "./support";

async function findPerson(page: Page, name: string) {
  await page.getByRole("link", { name: "People", exact: true }).click();
  await page.getByLabel("Find people by name").fill(name);
  await page.getByRole("button", { name: "Find" }).click();
}

test("two friends: one RSVPs, the other sees “1 friend going” and the feed entry, until a block hides both", async ({ page }) => {
  const stamp = Date.now();
  const title = `Friends Night ${stamp}`;
  const eventPath = await publishedFreeEvent(page, uniqueEmail("olga-social"), title);
  const mia = uniqueEmail("mia");
  const noah = uniqueEmail("noah");
  const miaName = `Mia Moreau ${stamp}`;
  const noahName = `Noah Nagel ${stamp}`;

  await signUp(page, noah, { name: noahName });
  await signOut(page);
  await signUp(page, mia, { name: miaName });
  await findPerson(page, noahName);
  const found = page.locator("#results");
  await expect(found.getByRole("link", { name: noahName })).toBeVisible();
  await found.getByRole("button", { name: "Add friend" }).click();
  await expect(page.getByText("Friend request sent.")).toBeVisible();
  await expect(page.locator("#sent").getByRole("link", { name: noahName })).toBeVisible();
  await signOut(page);

  await signIn(page, noah, "a long password");
  await page.getByRole("link", { name: "People", exact: true }).click();
  const requests = page.locator("#requests");
  await expect(requests.getByRole("link", { name: miaName })).toBeVisible();
  await requests.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByText("You are now friends.")).toBeVisible();
  await expect(page.locator("#friends").getByRole("link", { name: miaName })).toBeVisible();
  await page.goto(eventPath);
  await page.locator("#tickets").getByRole("button", { name: "RSVP" }).click();
  await expect(page.getByText("You're going!")).toBeVisible();
  await signOut(page);

  await signIn(page, mia, "a long password");
  await page.goto(eventPath);
  const social = page.getByRole("region", { name: "Who is going" });
  await expect(social).toContainText("1 friend going");
  await expect(social.getByRole("link", { name: noahName })).toBeVisible();
  await page.getByRole("link", { name: "Feed", exact: true }).click();
  const entry = page.locator(".feed-item", { hasText: title });
  await expect(entry).toContainText(`${noahName} is going to ${title}`);

  // the block, from Noah's profile
  await findPerson(page, noahName);
  await page.locator("#results").getByRole("link", { name: noahName }).click();
  await expect(page.getByRole("heading", { name: noahName })).toBeVisible();
  await page.getByRole("button", { name: "Block" }).click();
  await expect(page.getByText("Blocked. You will not see each other anywhere on Lineup.")).toBeVisible();
  await page.goto(eventPath);
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await expect(page.getByText("friend going")).toHaveCount(0);
  await expect(page.getByRole("link", { name: noahName })).toHaveCount(0);
  await page.goto("/feed");
  await expect(page.getByRole("heading", { name: "Feed" })).toBeVisible();
  await expect(page.getByText(noahName)).toHaveCount(0);
  await signOut(page);

  // and Mia is gone for Noah: not in a search, and her event pages show no friend
  await signIn(page, noah, "a long password");
  await findPerson(page, miaName);
  await expect(page.locator("#results")).toContainText("Nobody by that name.");
  await expect(page.getByRole("link", { name: miaName })).toHaveCount(0);
});
