import { test, expect } from "@playwright/test";
import { DEMO_PASSWORD, mailText, mailedLink, publishedFreeEvent, signIn, signOut, signUp, uniqueEmail } from "./support";

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
  // her address confirmation and her booking
  await expect(page.getByRole("row").filter({ hasText: guest })).toHaveCount(2);
  const row = page.getByRole("row").filter({ hasText: guest }).filter({ hasText: `You're going to ${title}` });
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
  // the demo announced her bookings: some are unread
  await expect(page.locator(".notification.unread").first()).toBeVisible();
  await page.getByRole("button", { name: /^Mark all \d+ as read$/ }).click();
  await expect(page.getByText("All marked as read.")).toBeVisible();
  await expect(page.locator(".notification.unread")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();
});

test("a forgotten password is reset from the mailed link", async ({ page }) => {
  const email = uniqueEmail("forgetful");
  await signUp(page, email, { name: "Fay Forgetful" });
  await signOut(page);

  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByText(/If an account uses that address/)).toBeVisible();

  const path = await mailedLink(page, email, "Choose a new Lineup password");
  await page.goto(path);
  await page.getByLabel("New password").fill("a fresh new password");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page.getByText(/Your password is changed/)).toBeVisible();
  await signOut(page);

  // the link worked once; the new password works
  await page.goto(path);
  await page.getByLabel("New password").fill("yet another password");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page.getByText(/This link has expired or was used already/)).toBeVisible();
  await signIn(page, email, "a fresh new password");
});

test("a waitlisted person sees the seat offer appear live, without a reload, and finds it in the mail", async ({ page, browser }) => {
  const title = `Tiny Concert ${Date.now()}`;
  const organizer = uniqueEmail("olga");
  const eventPath = await publishedFreeEvent(page, organizer, title);

  // one seat, then a waitlist
  await signIn(page, organizer, "a long password");
  await page.goto(`${eventPath}/tickets`);
  const edit = page.locator("details.edit-type").first();
  await edit.locator("summary").click();
  await edit.getByLabel("Quantity").fill("1");
  await edit.getByLabel("Waitlist when sold out").check();
  await edit.getByRole("button", { name: "Save ticket type" }).click();
  await expect(page.getByRole("cell", { name: "0 / 1" })).toBeVisible();
  await signOut(page);

  // Fred takes the seat, in a browser of his own
  const fredContext = await browser.newContext({ baseURL: new URL(page.url()).origin });
  const fred = await fredContext.newPage();
  await signUp(fred, uniqueEmail("fred"), { name: "Fred First" });
  await fred.goto(eventPath);
  await fred.locator("#tickets").getByRole("button", { name: "RSVP" }).click();
  await expect(fred.getByText("You're going!")).toBeVisible();

  // Wanda joins the waitlist and keeps the page open
  const wanda = uniqueEmail("wanda");
  await signUp(page, wanda, { name: "Wanda Waiting" });
  await page.goto(eventPath);
  await page.locator("#tickets").getByRole("button", { name: "Join the waitlist" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-enhanced", "true");
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  await expect(page.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();

  // Fred cancels: the seat goes to Wanda, and her open page says so
  await fred.getByRole("button", { name: "Cancel my registration" }).click();
  await fredContext.close();
  const toast = page.locator(".toast");
  await expect(toast).toContainText(`A seat is free for you at ${title}`, { timeout: 5_000 });
  await expect(page.getByRole("link", { name: "Notifications, 1 unread" })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  await toast.getByRole("link").click();
  await expect(page.getByRole("button", { name: "Accept the seat" })).toBeVisible();

  const mail = await mailText(page, wanda, `A seat is free for you at ${title}`);
  expect(mail).toContain("/my/tickets/");
});
