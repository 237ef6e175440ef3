import { test, expect, Page } from "@playwright/test";
import { DEMO_PASSWORD, localDateTime, signIn, signOut, signUp, uniqueEmail } from "./support";

async function decide(page: Page, title: string, decision: "Approve" | "Request revision" | "Reject", note: string) {
  await page.getByRole("link", { name: "Review queue" }).click();
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Review: ${title}` })).toBeVisible();
  await page.getByLabel(decision).check();
  await page.getByLabel("Note to the organizer (required)").fill(note);
  await page.getByRole("button", { name: "Record decision" }).click();
}

test("organizer submits, curator reads the scores and asks for a revision, organizer resubmits, curator approves", async ({ page }) => {
  const title = `Pottery Evening ${Date.now()}`;
  const organizer = uniqueEmail("potter");
  await signUp(page, organizer, { organizer: true, name: "Petra Potter" });
  await page.getByRole("link", { name: "New event" }).click();
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel(/Summary/).fill("Throw your first bowl");
  await page.getByLabel(/Description/).fill("Clay and tea.");
  await page.getByLabel("Category", { exact: true }).selectOption("arts");
  await page.getByLabel("Starts", { exact: true }).fill(localDateTime(3));
  await page.getByLabel("Ends", { exact: true }).fill(localDateTime(3, 22));
  await page.getByLabel("Time zone", { exact: true }).fill("Europe/Berlin");
  await page.getByLabel("Venue", { exact: true }).fill("Studio Ton");
  await page.getByLabel("Address", { exact: true }).fill("Wiener Straße 12");
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("Saved and submitted for review.")).toBeVisible();
  await signOut(page);

  // the curator sees the scores and the reasons behind them
  await signIn(page, "curator@lineup.test", DEMO_PASSWORD);
  await page.getByRole("link", { name: "Review queue" }).click();
  await expect(page.getByRole("row", { name: new RegExp(title) })).toContainText("New submission");
  await page.getByRole("link", { name: title }).click();
  const completeness = page.locator('.score[data-label="Completeness"]');
  await expect(completeness).toContainText("No cover image");
  await expect(completeness).toContainText("Venue without map coordinates");
  await expect(page.locator('.score[data-label="Content quality"]')).toContainText("Very short description");
  await expect(page.locator('.score[data-label="Spam likelihood"]')).toBeVisible();
  await expect(page.locator('.score[data-label="Overall"]')).toContainText("0.30 × completeness");
  await page.getByLabel("Request revision").check();
  await page.getByLabel("Note to the organizer (required)").fill("Please tell people what the evening includes.");
  await page.getByRole("button", { name: "Record decision" }).click();
  await expect(page.getByText(`Sent “${title}” back to its organizer for revision.`)).toBeVisible();
  await signOut(page);

  // the organizer reads the note, edits and resubmits
  await signIn(page, organizer, "a long password");
  await page.getByRole("link", { name: "My events" }).click();
  const row = page.getByRole("row", { name: new RegExp(title) });
  await expect(row).toContainText("Needs revision");
  await row.getByRole("link", { name: "History" }).click();
  await expect(page.getByText("Please tell people what the evening includes.")).toBeVisible();
  await page.getByRole("link", { name: new RegExp(title) }).first().click();
  await page.getByRole("link", { name: "Edit event" }).click();
  await page
    .getByLabel(/Description/)
    .fill("## The evening\n\nYou will learn to centre clay on the wheel and throw a small bowl. A potter guides every step.\n\n- Clay, aprons and tools included\n- Tea and biscuits\n\nYour bowl is fired and ready to collect a week later.");
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("Saved and submitted for review.")).toBeVisible();
  await signOut(page);

  await page.goto("/?category=arts");
  await expect(page.getByText(title)).toHaveCount(0);

  await signIn(page, "curator@lineup.test", DEMO_PASSWORD);
  await decide(page, title, "Approve", "Thanks, this reads well.");
  await expect(page.getByText(`Approved “${title}”: it is public now.`)).toBeVisible();
  await signOut(page);

  await page.goto("/?category=arts");
  await page.getByRole("link", { name: new RegExp(title) }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
});

test("an event reported by enough people disappears until a curator looks again", async ({ page }) => {
  await page.goto("/");
  const card = page.locator(".card").nth(3);
  const title = (await card.locator("h3").textContent())!.trim();
  await card.locator("a").click();
  const eventUrl = page.url();

  const send = async () => {
    await page.goto(eventUrl);
    await page.getByText("Report this event").click();
    await page.getByLabel("What is wrong?").selectOption("misleading");
    await page.getByLabel("Details for the curators").fill("The venue says this is not happening.");
    await page.getByRole("button", { name: "Send report" }).click();
    await expect(page.getByText("Thank you: curators will look at your report.")).toBeVisible();
    await signOut(page);
  };
  // throwaway accounts, confirmed or not, weigh next to nothing: six of them hide nothing
  for (let i = 0; i < 6; i++) {
    await signUp(page, uniqueEmail(`reporter${i}`), { verify: i >= 3 });
    await send();
  }
  expect((await page.goto(eventUrl))!.status()).toBe(200);
  // three established attendees (a year on Lineup, tickets to past events) do
  for (const email of ["grace@lineup.test", "hiro@lineup.test", "ines@lineup.test"]) {
    await signIn(page, email, DEMO_PASSWORD);
    await send();
  }

  const response = await page.goto(eventUrl);
  expect(response!.status()).toBe(404);
  await page.goto("/");
  await expect(page.locator(".card h3", { hasText: title })).toHaveCount(0);

  // the curator finds it at the top of the queue as a flagged event
  await signIn(page, "curator@lineup.test", DEMO_PASSWORD);
  await page.getByRole("link", { name: "Review queue" }).click();
  await page.getByLabel("Kind").selectOption("flagged");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("link", { name: title }).first()).toBeVisible();
});
