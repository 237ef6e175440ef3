import { test, expect } from "@playwright/test";
import { DEMO_PASSWORD, mailText, publishedFreeEvent, signIn, signOut, signUp, uniqueEmail } from "./support";

test("an owner invites a door person, who checks a guest in but cannot open the guest list and its money", async ({ page }) => {
  const title = `Door test ${Date.now()}`;
  const owner = uniqueEmail("olga-org");
  const eventPath = await publishedFreeEvent(page, owner, title);

  // a guest books
  await signIn(page, "ana@lineup.test", DEMO_PASSWORD);
  await page.goto(eventPath);
  await page.locator("#tickets").getByRole("button", { name: "RSVP" }).click();
  await expect(page.getByText("You're going!")).toBeVisible();
  const code = (await page.getByTestId("ticket").locator(".ticket-code").textContent())!.trim();
  await signOut(page);

  // the owner invites door staff from the team page of the event's organization
  const door = uniqueEmail("dora-door");
  await signIn(page, owner, "a long password");
  await page.getByRole("link", { name: "Organizations", exact: true }).click();
  await page.getByRole("link", { name: "Team" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Team");
  await page.getByLabel("Email address").fill(door);
  await page.getByLabel("Role", { exact: true }).selectOption("door");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText("Invitation sent.")).toBeVisible();
  await expect(page.locator(".invitations")).toContainText(door);
  await signOut(page);

  // the invited person signs up with that address and accepts through the mailed link
  await signUp(page, door, { name: "Dora Door" });
  const text = await mailText(page, door, "Join Olga Organizer on Lineup");
  const link = text.match(/\/o\/invitations\/[0-9a-f]{64}/);
  expect(link, text).not.toBeNull();
  await page.goto(link![0]);
  await expect(page.getByText(/invites .* to join as Door/)).toBeVisible();
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByText("Welcome to Olga Organizer.")).toBeVisible();
  await expect(page.getByRole("cell", { name: /Dora Door/ })).toBeVisible();

  // at the door: the check-in works
  await page.goto(`${eventPath}/check-in`);
  await page.getByLabel("Ticket code").fill(code);
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("checkin-result")).toContainText("Welcome, Ana");

  // the guest list, with its revenue, is not theirs to see
  const guests = await page.goto(`${eventPath}/guests`);
  expect(guests!.status()).toBe(403);
  await expect(page.getByText("You are not allowed to do that.")).toBeVisible();
  await expect(page.getByText("Revenue")).toHaveCount(0);
  await signOut(page);

  // the owner still sees the money and the checked-in guest
  await signIn(page, owner, "a long password");
  await page.goto(`${eventPath}/guests`);
  await expect(page.getByTestId("figure-revenue")).toBeVisible();
  await expect(page.getByTestId("figure-checked-in")).toHaveText("1");
});
