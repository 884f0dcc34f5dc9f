import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChromiumPage, openChromium } from "../../helpers/chromium";
import { type Stack, startStack } from "../../helpers/stack";
import type { WranglerDevServer } from "../../helpers/wrangler";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const artifacts = join(root, "test-artifacts");
const FULL_REPLY = "Hello from the fake model.";

let stack: Stack<{ partySecret: string }> | undefined;
let worker: WranglerDevServer | undefined;
let browser: ChromiumPage | undefined;
let page: Page;

beforeAll(async () => {
  stack = await startStack({
    partySecret: randomBytes(24).toString("base64url"),
    vars: {
      AUTH_DISABLED: "true",
      GROQ_API_KEY: "gsk_e2e_0000000000000000000000",
      GROQ_MODEL: "slow:e2e",
      LOG_LEVEL: "warn",
    },
  });
  worker = stack.worker;
  browser = await openChromium({ width: 1280, height: 900 });
  page = browser.page;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("the demo page at /", () => {
  it("streams the reply in and fills the metrics panel from the conversation's room", async () => {
    const served = worker as WranglerDevServer;
    await page.goto(`${served.url}/`);
    await page.locator('#room-status[data-state="live"]').waitFor({ timeout: 30_000 });

    await page.fill("#message", "Tell me something about the sea.");
    await page.click("#send");

    const reply = page.locator(".turn.assistant").last();
    const partial = await page.waitForFunction(
      (full) => {
        const turn = document.querySelector<HTMLElement>(".turn.assistant:last-child");
        const text = turn?.querySelector("span")?.textContent ?? "";
        return turn?.dataset.state === "streaming" && text.length > 0 && text !== full ? text : false;
      },
      FULL_REPLY,
      { polling: 10, timeout: 30_000 },
    );
    expect(FULL_REPLY.startsWith(String(await partial.jsonValue()))).toBe(true);

    await page.locator('.turn.assistant[data-state="done"]').waitFor({ timeout: 30_000 });
    expect(await reply.locator("span").textContent()).toBe(FULL_REPLY);
    expect(await reply.locator(".meta").textContent()).toContain("groq");
    const messageId = await reply.getAttribute("data-message-id");
    expect(messageId).toBeTruthy();

    const panel = page.locator('#metrics[data-state="ready"]');
    await panel.waitFor({ timeout: 30_000 });
    expect(await panel.getAttribute("data-source")).toBe("room");
    expect(await panel.getAttribute("data-message-id")).toBe(messageId);
    const score = Number(await page.locator("#score").textContent());
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(100);
    expect(await page.locator("#gauge").getAttribute("aria-valuenow")).toBe(String(score));
    // The five-word reply is too short for a verdict: no red label, "not enough evidence".
    expect(await page.locator("#verdict").textContent()).toBe("Not enough evidence");
    expect(await page.locator("#verdict").getAttribute("data-ai")).toBe("unknown");
    expect(await page.locator("#metrics-meta").textContent()).toContain("low confidence (too_short)");
    expect(await page.locator("#categories details").count()).toBe(9);
    for (const category of ["sentiment_subjectivity", "structural_analysis", "topic_modeling_analysis"]) {
      expect(
        await page.locator(`#categories details[data-category="${category}"] dd`).count(),
      ).toBeGreaterThan(0);
    }
    const keyTerms = page.locator('#categories details[data-category="topic_modeling_analysis"] dd').last();
    expect(await keyTerms.textContent()).toMatch(/^fake 0\.\d{3}, model 0\.\d{3}/);
    expect(await page.locator("#categories").textContent()).not.toContain("[object Object]");
    // The reply's one sentence is tinted by its own AI probability, its text unchanged.
    const marks = reply.locator("span mark.sentence");
    await marks.first().waitFor({ timeout: 30_000 });
    expect(await marks.count()).toBe(1);
    expect(await marks.first().textContent()).toBe(FULL_REPLY);
    const probability = Number(await marks.first().getAttribute("data-ai-probability"));
    expect(probability).toBeGreaterThanOrEqual(0);
    expect(probability).toBeLessThanOrEqual(1);
    expect(await reply.locator("span").textContent()).toBe(FULL_REPLY);
    expect(await page.locator("#metrics-meta").textContent()).toMatch(/AI probability \d\.\d\d/);

    mkdirSync(artifacts, { recursive: true });
    for (const details of await page.locator("#categories details").all()) {
      const category = await details.getAttribute("data-category");
      if (category === "text_coherence_complexity" || category?.match(/^(sentiment|structural|topic)_/))
        await details.evaluate((element) => element.setAttribute("open", ""));
    }
    await page.screenshot({ path: join(artifacts, "demo-e2e.png"), fullPage: true });
    expect(existsSync(join(artifacts, "demo-e2e.png"))).toBe(true);
  });

  it("moves the gauge with partial scores while a long reply streams, then marks the final score", async () => {
    const served = worker as WranglerDevServer;
    // The page asks for no model; this test has the fake LLM stream its long reply, 5 ms a chunk (a
    // request naming its provider may name a model outside the provider's catalogue).
    await page.route(`${served.url}/chat`, (route) =>
      route.continue({
        postData: JSON.stringify({
          ...route.request().postDataJSON(),
          provider: "groq",
          model: "long-paced:e2e",
        }),
      }),
    );
    try {
      await page.fill("#message", "Tell me about the harbour.");
      await page.click("#send");
      const partial = await page.waitForFunction(
        () => {
          const turn = document.querySelector<HTMLElement>(".turn.assistant:last-child");
          const panel = document.querySelector<HTMLElement>("#metrics");
          if (turn?.dataset.state !== "streaming" || panel?.dataset.phase !== "partial") return false;
          return {
            meta: document.querySelector("#metrics-meta")?.textContent ?? "",
            score: document.querySelector("#gauge")?.getAttribute("aria-valuenow"),
            messageId: panel.dataset.messageId,
          };
        },
        undefined,
        { polling: 5, timeout: 30_000 },
      );
      const seen = (await partial.jsonValue()) as { meta: string; score: string; messageId: string };
      expect(seen.meta).toMatch(/^so far: \d+ words · /);
      expect(Number(seen.score)).toBeGreaterThanOrEqual(0);

      const reply = page.locator('.turn.assistant:last-child[data-state="done"]');
      await reply.waitFor({ timeout: 30_000 });
      const messageId = await reply.getAttribute("data-message-id");
      expect(seen.messageId).toBe(messageId);
      await page.locator('#metrics[data-phase="final"]').waitFor({ timeout: 30_000 });
      expect(await page.locator("#metrics").getAttribute("data-message-id")).toBe(messageId);
      expect(await page.locator("#metrics-meta").textContent()).toMatch(/^final · /);
      // Every sentence of the long reply is tinted; together the marks are the reply's text.
      const marks = reply.locator("span mark.sentence");
      await marks.first().waitFor({ timeout: 30_000 });
      expect(await marks.count()).toBeGreaterThan(3);
      const marked = (await marks.allTextContents()).join(" ");
      const shown = (await reply.locator("span").textContent()) ?? "";
      expect(marked.replace(/\s+/g, " ")).toBe(shown.trim().replace(/\s+/g, " "));
      expect(await page.locator("#reasons li").count()).toBeGreaterThan(0);
    } finally {
      await page.unroute(`${served.url}/chat`);
    }
  });

  it("leaves the API to the worker: /health and unknown paths are answered by the app, not the assets", async () => {
    const served = worker as WranglerDevServer;
    const health = await fetch(`${served.url}/health`);
    expect(health.headers.get("x-request-id")).toBeTruthy();
    const unknown = await fetch(`${served.url}/no-such-page`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: "error" });
  });
});

describe("public/demo/demo.js", () => {
  it("is the current build of public-src/demo.ts (run `npm run build:demo` after changing it)", () => {
    const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts as Record<
      string,
      string
    >;
    const scratch = mkdtempSync(join(tmpdir(), "nexus-demo-build-"));
    const fresh = join(scratch, "demo.js");
    const command = (scripts["build:demo"] ?? "").replace("public/demo/demo.js", fresh);
    expect(command).toContain(fresh);
    execFileSync("sh", ["-c", command], {
      cwd: root,
      env: { ...process.env, PATH: `${join(root, "node_modules/.bin")}:${process.env.PATH ?? ""}` },
    });
    const committed = readFileSync(join(root, "public/demo/demo.js"), "utf8");
    expect(readFileSync(fresh, "utf8") === committed).toBe(true);
    rmSync(scratch, { recursive: true, force: true });
  });
});

describe("the API reference at /docs", () => {
  it("renders every operation of /openapi.json from the worker's own files, offline", async () => {
    const served = worker as WranglerDevServer;
    const outside: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(served.url) && !request.url().startsWith("data:"))
        outside.push(request.url());
    });
    const document = (await (await fetch(`${served.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(document.paths).reduce(
      (sum, methods) => sum + Object.keys(methods).length,
      0,
    );
    await page.goto(`${served.url}/docs`);
    await page.locator(".opblock").first().waitFor({ timeout: 30_000 });
    expect(operations).toBeGreaterThanOrEqual(9);
    expect(await page.locator(".opblock").count()).toBe(operations);
    expect(await page.locator(".opblock-summary-path", { hasText: "/chat" }).first().isVisible()).toBe(true);
    expect(outside).toEqual([]);
  });
});
