import { test, expect } from "@playwright/test";
import { DEMO_PASSWORD, publishedFreeEvent, signIn, signOut, signUp, uniqueEmail } from "./support";

test("a booking is confirmed in the app, counted in the navigation, and mailed to where admins can read it", async ({ page }) => {
  const title = `Notified Singalong ${Date.now()}`;
  const eventPath = await publishedFreeEvent(page, uniqueEmail("olga"), title);

  const guest = uniqueEmail("nina");
  await signUp(page, guest, { name: "Nina Notified" });
  await page.goto(eventPath);
  await page.locator("#tickets").getByRole("button", { name: "RSVP" }).click();
  await expect(page.getByText("You're going!")).toBeVisible();

  // the notifier runs in the background: the count shows on the next pages
  const link = page.getByRole("link", { name: /^Notifications, 1 unread$/ });
  await expect(async () => {
    await page.goto("/");
    await expect(link).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await link.click();
  const entry = page.locator(".notification.unread");
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText(`You're going to ${title}`);
  await entry.getByRole("button", { name: `You're going to ${title}` }).click();
  await expect(page.getByTestId("registration-status")).toHaveText("Confirmed");
  await expect(page.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();

  // only email for bookings by default; switching it off is one form
  await page.goto("/notifications/preferences");
  await expect(page.getByLabel("Your registration is confirmed: Email")).toBeChecked();
  await expect(page.getByLabel("Someone asks to be your friend: Email")).not.toBeChecked();
  await signOut(page);

  await signIn(page, "admin@lineup.test", DEMO_PASSWORD);
  await page.getByRole("link", { name: "Mail", exact: true }).click();
  const row = page.getByRole("row", { name: new RegExp(guest.replace(/[.+]/g, "\\$&")) });
  await expect(row).toHaveCount(1);
  await row.getByRole("link", { name: `You're going to ${title}` }).click();
  const mail = page.getByRole("article", { name: "Open mail" });
  await expect(mail).toContainText("Attached: event.ics");
  await expect(mail.locator(".mail-text")).toContainText("/my/tickets/");
});

test("the demo attendee finds her bookings among her notifications and marks them read", async ({ page }) => {
  await signIn(page, "ana@lineup.test", DEMO_PASSWORD);
  await page.getByRole("link", { name: /^Notifications/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  expect(await page.locator(".notification").count()).toBeGreaterThan(0);
  const markAll = page.getByRole("button", { name: /^Mark all \d+ as read$/ });
  if (await markAll.count()) {
    await markAll.click();
    await expect(page.getByText("All marked as read.")).toBeVisible();
  }
  await expect(page.locator(".notification.unread")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();
});
