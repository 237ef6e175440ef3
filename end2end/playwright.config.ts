import { defineConfig } from "@playwright/test";
import * as os from "node:os";
import * as path from "node:path";

// The server under test: the binary cargo-leptos built, its site directory, and a throwaway
// data directory seeded with the demo dataset.
const port = Number(process.env.E2E_PORT ?? 3100);
const bin = process.env.LINEUP_BIN ?? path.resolve(__dirname, "../target/debug/lineup");
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.resolve(__dirname, "../target/site");
const dataDir = path.join(os.tmpdir(), `lineup-e2e-${process.pid}`);

// Paid tickets talk to a local Stripe stub that ticketing.spec.ts runs on this port.
export const STRIPE_STUB_PORT = Number(process.env.E2E_STRIPE_PORT ?? 3199);
export const STRIPE_WEBHOOK_SECRET = "whsec_e2e_lineup";

export const chromiumArgs = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"];
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: "retain-on-failure",
  },
  webServer: {
    command: `rm -rf "${dataDir}" && "${bin}" seed && exec "${bin}" serve`,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      LINEUP_DATA_DIR: dataDir,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: siteRoot,
      LEPTOS_SITE_PKG_DIR: "pkg",
      RUST_LOG: "warn",
      // every test signs up from this one address: the request limits stay on, twenty times wider
      LINEUP_RATE_LIMITS: "20",
      STRIPE_SECRET_KEY: "sk_test_e2e_lineup",
      STRIPE_WEBHOOK_SECRET,
      STRIPE_API_BASE: `http://127.0.0.1:${STRIPE_STUB_PORT}`,
    },
  },
});
