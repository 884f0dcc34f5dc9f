import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChromiumPage, openChromium } from "../../helpers/chromium";
import { type Stack, startStack } from "../../helpers/stack";
import type { WranglerDevServer } from "../../helpers/wrangler";

/**
 * The demo page's usage view in headless Chromium, against a real `wrangler dev` in front of a fake
 * Groq: cost and tokens per day, and the score distribution per model, from `GET /usage`.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");

let stack: Stack;
let worker: WranglerDevServer;
let browser: ChromiumPage;
let page: Page;

beforeAll(async () => {
  stack = await startStack({
    vars: {
      AUTH_DISABLED: "true",
      GROQ_API_KEY: "gsk_usage_view_0000000000000000",
      GROQ_MODEL: "openai/gpt-oss-20b",
      LOG_LEVEL: "warn",
    },
  });
  worker = stack.worker;
  browser = await openChromium({ width: 1280, height: 1100 });
  page = browser.page;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const today = () => new Date().toISOString().slice(0, 10);
const dayColumn = () => page.locator(`#usage-days .day[data-day="${today()}"]`);

describe("the demo page's usage view", () => {
  it("draws cost and tokens per day and the score distribution per model, and follows new replies", async () => {
    for (let index = 0; index < 2; index++) {
      const response = await fetch(`${worker.url}/chat`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: `Question ${index}` }),
      });
      expect(response.status).toBe(200);
    }

    await page.goto(`${worker.url}/`);
    await page.locator('#usage[data-state="ready"]').waitFor({ timeout: 30_000 });
    expect(await page.locator("#usage-days .day").count()).toBe(14);
    await page.waitForFunction(
      (day) =>
        document.querySelector<HTMLElement>(`#usage-days .day[data-day="${day}"]`)?.dataset.tokens === "36",
      today(),
      { timeout: 15_000 },
    );
    expect(Number(await dayColumn().getAttribute("data-cost"))).toBeGreaterThan(0);
    const costBar = dayColumn().locator(".bar.cost");
    expect(await costBar.evaluate((bar) => getComputedStyle(bar).getPropertyValue("--fill"))).toBe("1");
    expect(await page.locator("#usage-totals").textContent()).toContain("2 requests");

    const model = page.locator('#usage-models .model-scores[data-model="groq/openai/gpt-oss-20b"]');
    expect(await model.locator(".bucket").count()).toBe(10);
    const counts = await model
      .locator(".bucket")
      .evaluateAll((buckets) => buckets.map((bucket) => Number((bucket as HTMLElement).dataset.count)));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(2);

    await page.fill("#message", "One more, please.");
    await page.click("#send");
    await page.waitForFunction(
      (day) =>
        document.querySelector<HTMLElement>(`#usage-days .day[data-day="${day}"]`)?.dataset.tokens === "54",
      today(),
      { timeout: 30_000 },
    );
    expect(await page.locator("#usage-totals").textContent()).toContain("3 requests");

    mkdirSync(join(root, "test-artifacts"), { recursive: true });
    await page.locator("#usage").screenshot({ path: join(root, "test-artifacts", "demo-usage.png") });
  });
});
