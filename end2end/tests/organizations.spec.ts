import { test, expect } from "@playwright/test";
import { DEMO_PASSWORD, localDateTime, mailText, publishedFreeEvent, signIn, signOut, signUp, uniqueEmail } from "./support";

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

test("a private event is not found by a stranger and opens through its invite link", async ({ page }) => {
  const title = `Private supper ${Date.now()}`;
  const owner = uniqueEmail("pia-private");
  await signUp(page, owner, { organizer: true, name: "Pia Private" });
  await page.getByRole("link", { name: "New event" }).click();
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel(/Summary/).fill("Dinner for friends of the house");
  await page.getByLabel("Category", { exact: true }).selectOption("food-drink");
  await page.getByLabel("Starts", { exact: true }).fill(localDateTime(6));
  await page.getByLabel("Ends", { exact: true }).fill(localDateTime(6, 23));
  await page.getByLabel("Time zone", { exact: true }).fill("Europe/Berlin");
  await page.getByLabel("Venue", { exact: true }).fill("Back room");
  await page.getByLabel("Address", { exact: true }).fill("Torstraße 1");
  await page.getByLabel("Capacity", { exact: true }).fill("12");
  await page.getByLabel("Free event").check();
  await page.getByLabel(/Private: only people you invite/).check();
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("Saved and published. It is not listed")).toBeVisible();
  const eventPath = new URL(page.url()).pathname;
  const invite = await page.getByTestId("invite-link").inputValue();
  expect(invite).toMatch(/\/events\/\d+\?invite=[0-9a-f]{32}$/);
  await signOut(page);

  // a stranger finds nothing, not even by its address
  await signUp(page, uniqueEmail("sam-stranger"), { name: "Sam Stranger" });
  const missing = await page.goto(eventPath);
  expect(missing!.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await page.goto(`/search?q=${encodeURIComponent(title)}`);
  await expect(page.getByText(title)).toHaveCount(0);

  // the invite link opens it; the guest registers and keeps seeing it
  await page.goto(new URL(invite).pathname + new URL(invite).search);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await page.locator("#tickets").getByRole("button", { name: "RSVP" }).click();
  await expect(page.getByText("You're going!")).toBeVisible();
  const again = await page.goto(eventPath);
  expect(again!.status()).toBe(200);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the dashboard draws its charts on the server, with tables, ranges and CSV; door staff cannot open it", async ({ page }) => {
    await signIn(page, "collective@lineup.test", DEMO_PASSWORD);
    await page.goto("/o/mine");
    await page.getByRole("link", { name: "Dashboard" }).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Kulturbrauerei Collective");
    const charts = page.locator("figure.chart-figure svg[role=img]");
    await expect(charts).toHaveCount(4);
    for (const chart of await charts.all()) {
      await expect(chart.locator("title")).not.toBeEmpty();
    }
    await expect(page.locator(".totals")).toContainText("Page views");
    await expect(page.locator(".totals")).toContainText("Gross sales");
    await expect(page.locator("#table-funnel")).toContainText("Viewed the page");

    await page.getByRole("link", { name: "Last 7 days" }).click();
    await expect(page).toHaveURL(/from=\d{4}-\d{2}-\d{2}&to=/);
    await expect(page.locator("#table-attention tbody tr")).toHaveCount(7);
    const csvHref = await page.locator("#table-events caption a").getAttribute("href");
    const csv = await page.request.get(csvHref!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toMatch(/^Event,Starts,Page views,Saves,Registrations/);

    const bad = await page.goto(`${new URL(page.url()).pathname}?from=2026-12-10&to=2026-01-01`);
    expect(bad!.status()).toBe(400);
    await expect(page.getByText("The start date is after the end date.")).toBeVisible();
    await signOut(page);

    // the door person sees no figures
    await signIn(page, "jonas@lineup.test", DEMO_PASSWORD);
    const refused = await page.goto(new URL(csvHref!, "http://x").pathname.replace(".csv", ""));
    expect(refused!.status()).toBe(403);
  });
});
