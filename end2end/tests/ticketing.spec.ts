import { test, expect, Page, chromium } from "@playwright/test";
import * as crypto from "node:crypto";
import * as http from "node:http";
import { DEMO_PASSWORD, cameraFileShowing, publishedFreeEvent, signIn, signOut, signUp, uniqueEmail } from "./support";
import { STRIPE_STUB_PORT, STRIPE_WEBHOOK_SECRET, chromiumArgs, chromiumPath } from "../playwright.config";

// A stand-in for Stripe's API on loopback: it answers Checkout Session and Connect (account,
// account link, hosted onboarding) requests the way Stripe does (the server's STRIPE_API_BASE
// points here) and remembers what it was sent.
type Sent = { path: string; form: URLSearchParams; idempotencyKey?: string };
const sent: Sent[] = [];
const returnUrls = new Map<string, string>();
const onboarded = new Set<string>();
let stub: http.Server;

test.beforeAll(async () => {
  stub = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const form = new URLSearchParams(body);
      sent.push({ path: req.url ?? "", form, idempotencyKey: req.headers["idempotency-key"] as string | undefined });
      if (req.url === "/v1/checkout/sessions") {
        const id = `cs_test_e2e_${sent.length}`;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({
          id, object: "checkout.session", automatic_tax: { enabled: false, liability: null, status: null },
          created: Math.floor(Date.now() / 1000), custom_fields: [], custom_text: {},
          expires_at: Number(form.get("expires_at")), livemode: false, mode: "payment",
          payment_method_types: ["card"], payment_status: "unpaid", shipping_options: [], status: "open",
          metadata: { registration_id: form.get("metadata[registration_id]") },
          url: `http://127.0.0.1:${STRIPE_STUB_PORT}/pay/${id}`,
        }));
      } else if (req.url === "/v1/accounts" && req.method === "POST") {
        const id = `acct_e2e_${sent.length}`;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id, object: "account", type: "express", charges_enabled: false, payouts_enabled: false, details_submitted: false }));
      } else if (req.url === "/v1/account_links") {
        const account = form.get("account")!;
        returnUrls.set(account, form.get("return_url")!);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({
          object: "account_link", created: Math.floor(Date.now() / 1000), expires_at: Math.floor(Date.now() / 1000) + 300,
          url: `http://127.0.0.1:${STRIPE_STUB_PORT}/onboard/${account}`,
        }));
      } else if (req.url?.startsWith("/v1/accounts/")) {
        const id = req.url.slice("/v1/accounts/".length).split("?")[0];
        const done = onboarded.has(id);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id, object: "account", charges_enabled: done, payouts_enabled: done, details_submitted: done }));
      } else if (req.url?.startsWith("/onboard/")) {
        // Stripe's hosted onboarding: finishing it enables the account and goes back
        const account = req.url.slice("/onboard/".length);
        onboarded.add(account);
        res.writeHead(200, { "content-type": "text/html" });
        res.end(`<!doctype html><title>Onboarding</title><h1>Stripe onboarding (test stub)</h1><a href="${returnUrls.get(account)}">Return to Lineup</a>`);
      } else if (req.url?.startsWith("/pay/")) {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<!doctype html><title>Checkout</title><h1>Stripe Checkout (test stub)</h1>");
      } else {
        res.writeHead(404, { "content-type": "application/json" });
        res.end('{"error":{"type":"invalid_request_error","message":"Unrecognized request URL"}}');
      }
    });
  });
  await new Promise<void>((resolve) => stub.listen(STRIPE_STUB_PORT, "127.0.0.1", resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => stub.close(resolve));
});

test("free RSVP gives a ticket with a QR code that the organizer checks in once", async ({ page }) => {
  const title = `Singalong ${Date.now()}`;
  const organizer = uniqueEmail("olga");
  const eventPath = await publishedFreeEvent(page, organizer, title);

  await signIn(page, "ana@lineup.test", DEMO_PASSWORD);
  await page.goto(eventPath);
  const box = page.locator("#tickets");
  await expect(box.getByTestId("going-count")).toHaveText("0 going");
  await expect(box.getByRole("heading", { name: "General admission" })).toBeVisible();
  await box.getByRole("button", { name: "RSVP" }).click();
  await expect(page.getByText("You're going!")).toBeVisible();
  await expect(page.getByTestId("registration-status")).toHaveText("Confirmed");
  const ticket = page.getByTestId("ticket");
  await expect(ticket.locator("svg")).toBeVisible();
  const code = (await ticket.locator(".ticket-code").textContent())!.trim();
  expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{1,4})+$/);
  await page.goto(eventPath);
  await expect(page.locator("#tickets").getByTestId("going-count")).toHaveText("1 going");
  await page.getByRole("link", { name: "My tickets" }).click();
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await signOut(page);

  await signIn(page, organizer, "a long password");
  await page.goto(eventPath);
  await page.locator("#tickets").getByRole("link", { name: "Check-in" }).click();
  await page.getByLabel("Ticket code").fill(code.toLowerCase());
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("checkin-result")).toContainText("Welcome, Ana");
  await expect(page.getByTestId("checkin-count")).toHaveText("1 of 1 checked in");
  await page.getByLabel("Ticket code").fill(code);
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("checkin-result")).toContainText("Already checked in");
  await expect(page.getByTestId("checkin-result")).toContainText("by Olga Organizer");

  await page.goto(`${eventPath}/guests?tab=checked_in`);
  await expect(page.getByTestId("guest-row")).toHaveCount(1);
  await expect(page.getByTestId("figure-checked-in")).toHaveText("1");
});

test("the check-in camera reads a real ticket's QR code in a browser without BarcodeDetector", async ({ page, baseURL }) => {
  const title = `Camera Singalong ${Date.now()}`;
  const organizer = uniqueEmail("olga-camera");
  const eventPath = await publishedFreeEvent(page, organizer, title);
  await signIn(page, "ana@lineup.test", DEMO_PASSWORD);
  await page.goto(eventPath);
  await page.locator("#tickets").getByRole("button", { name: "RSVP" }).click();
  await expect(page.getByText("You're going!")).toBeVisible();
  const svg = await page.getByTestId("ticket").locator("svg").evaluate((e) => e.outerHTML);
  const camera = await cameraFileShowing(page, svg);

  // the door: a browser whose camera shows that ticket
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [...chromiumArgs, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${camera}`],
  });
  try {
    const door = await (await browser.newContext({ baseURL, permissions: ["camera"] })).newPage();
    await signIn(door, organizer, "a long password");
    await door.goto(`${eventPath}/check-in`);
    expect(await door.evaluate(() => "BarcodeDetector" in window)).toBe(false);
    await door.getByRole("button", { name: "Scan with the camera" }).click();
    await expect(door.getByTestId("checkin-result")).toContainText("Welcome, Ana");
    await expect(door.getByTestId("checkin-count")).toHaveText("1 of 1 checked in");
  } finally {
    await browser.close();
  }
});

test("paid tickets go to Stripe Checkout and a signed webhook turns the payment into a ticket", async ({ page, request }) => {
  const title = `Paid Singalong ${Date.now()}`;
  const organizer = uniqueEmail("olga-paid");
  const eventPath = await publishedFreeEvent(page, organizer, title);

  // the organizer turns the free ticket into a paid one
  await signIn(page, organizer, "a long password");
  await page.goto(`${eventPath}/tickets`);
  await page.getByText("Edit “General admission”").click();
  const form = page.locator("details.edit-type form");
  await form.getByLabel("Name", { exact: true }).fill("Standard");
  await form.getByLabel("Price", { exact: true }).fill("15");
  await form.getByRole("button", { name: "Save ticket type" }).click();
  await expect(page.getByText("Ticket type saved.")).toBeVisible();
  await expect(page.getByRole("cell", { name: "€15.00" })).toBeVisible();
  // not on sale until the organization takes payments
  await page.goto(eventPath);
  await expect(page.locator("#tickets")).toContainText("Paid tickets go on sale once the organizer has set up payouts.");

  // payouts through Stripe Connect: onboarding on Stripe, then back
  await page.goto("/o/mine");
  await page.getByRole("link", { name: "Finance" }).first().click();
  await expect(page.getByTestId("payout-state")).toContainText("Payouts are not set up");
  await page.getByRole("button", { name: "Set up payouts with Stripe" }).click();
  await expect(page.getByRole("heading", { name: "Stripe onboarding (test stub)" })).toBeVisible();
  const account = sent.filter((s) => s.path === "/v1/accounts").at(-1)!;
  expect(account.form.get("type")).toBe("express");
  await page.getByRole("link", { name: "Return to Lineup" }).click();
  await expect(page.getByTestId("payout-state")).toContainText("Payments and payouts are on");
  await signOut(page);

  await signIn(page, "ana@lineup.test", DEMO_PASSWORD);
  await page.goto(eventPath);
  await page.locator("#tickets").getByRole("button", { name: "Buy tickets" }).click();
  await expect(page.getByRole("heading", { name: "Stripe Checkout (test stub)" })).toBeVisible();
  const checkout = sent.filter((s) => s.path === "/v1/checkout/sessions").at(-1)!;
  expect(checkout.form.get("line_items[0][price_data][unit_amount]")).toBe("1500");
  expect(checkout.form.get("line_items[0][price_data][currency]")).toBe("eur");
  expect(checkout.idempotencyKey).toBeTruthy();
  expect(checkout.form.get("payment_intent_data[transfer_data][destination]")).toMatch(/^acct_e2e_/);
  const registrationId = checkout.form.get("metadata[registration_id]")!;
  const sessionId = new URL(page.url()).pathname.split("/").pop()!;

  // back from Checkout the seats are held; Stripe's signed webhook confirms them
  await page.goto(`/my/tickets/${registrationId}`);
  await expect(page.getByTestId("registration-status")).toHaveText("Reserved, waiting for payment");
  const event = JSON.stringify({
    id: `evt_e2e_${Date.now()}`, object: "event", type: "checkout.session.completed",
    created: Math.floor(Date.now() / 1000), livemode: false,
    data: { object: {
      id: sessionId, object: "checkout.session", payment_status: "paid", status: "complete",
      payment_intent: `pi_e2e_${Date.now()}`, amount_total: 1500, currency: "eur",
      client_reference_id: registrationId, metadata: { registration_id: registrationId },
    } },
  });
  const t = Math.floor(Date.now() / 1000);
  const v1 = crypto.createHmac("sha256", STRIPE_WEBHOOK_SECRET).update(`${t}.${event}`).digest("hex");
  const forged = await request.post("/stripe/webhook", { data: event, headers: { "content-type": "application/json", "stripe-signature": `t=${t},v1=${"0".repeat(64)}` } });
  expect(forged.status()).toBe(400);
  const delivered = await request.post("/stripe/webhook", { data: event, headers: { "content-type": "application/json", "stripe-signature": `t=${t},v1=${v1}` } });
  expect(delivered.status()).toBe(200);

  await page.reload();
  await expect(page.getByTestId("registration-status")).toHaveText("Confirmed");
  await expect(page.getByTestId("ticket").locator("svg")).toBeVisible();
});
