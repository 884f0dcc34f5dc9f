import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { contractsOf } from "../../src/openapi/register";
import { call, calls, fakeEmbedderUrl, fakeLlmUrl, makeEnv } from "./support";

const ORDINARY = "ordinary-budget-key-0123456789";
const ADMIN = "admin-budget-key-0123456789";

/** Every key kind with a budget of one token a day: any request's worst case passes it. */
const cappedEnv = () =>
  makeEnv({
    AUTH_DISABLED: "false",
    API_KEYS: `ordinary:${ORDINARY}`,
    ADMIN_API_KEYS: `admin:${ADMIN}`,
    KEY_BUDGETS: JSON.stringify({
      ordinary: { tokensPerDay: 1 },
      admin: { usdPerMonth: 0.000001, tokensPerDay: 1 },
    }),
    NEO_API_KEY: "neo_budget_test_key_000000000",
    NEO_API_URL: `${fakeLlmUrl()}/neo`,
    EMBEDDING_PROVIDER: "ollama",
    EMBEDDING_BASE_URL: fakeEmbedderUrl(),
    EMBEDDING_MODEL: "ok-8",
  });

/** A valid request for each route that spends; a new spending route fails the test until it has one here. */
const SAMPLE_REQUESTS: Record<string, { path: string; init: RequestInit & { json?: unknown } }> = {
  "POST /chat": { path: "/chat", init: { method: "POST", json: { message: "Hello" } } },
  "POST /v1/chat/completions": {
    path: "/v1/chat/completions",
    init: {
      method: "POST",
      json: { model: "groq/ok:budget", messages: [{ role: "user", content: "Hello" }] },
    },
  },
  "POST /analyze": {
    path: "/analyze",
    init: { method: "POST", json: { text: "A short text to score for how human it reads." } },
  },
  "POST /v1/embeddings": {
    path: "/v1/embeddings",
    init: { method: "POST", json: { model: "default", input: "Embed this text for the budget." } },
  },
  "GET /conversations/{id}/search": {
    path: "/conversations/budget-search/search?q=what%20did%20we%20say",
    init: { method: "GET" },
  },
};

const routes = contractsOf(createApp() as never);
const key = (route: { method: string; path: string }) => `${route.method.toUpperCase()} ${route.path}`;

describe("budgets on every spending route", () => {
  it("every route that can call a provider or Neo declares that it spends", () => {
    const spending = routes.filter((route) => route.spends).map(key);
    const callingOut = routes
      .filter((route) => ["chat", "analyze", "search"].includes(route.rateLimit))
      .map(key);
    expect(spending.sort()).toEqual(callingOut.sort());
    expect(spending.sort()).toEqual(Object.keys(SAMPLE_REQUESTS).sort());
  });

  for (const route of routes.filter((entry) => entry.spends)) {
    for (const [kind, apiKey] of [
      ["an ordinary key", ORDINARY],
      ["an admin key", ADMIN],
    ] as const) {
      it(`${key(route)} refuses ${kind} over its budget with 429 and Retry-After, before any upstream call`, async () => {
        const sample = SAMPLE_REQUESTS[key(route)];
        if (!sample) throw new Error(`no sample request for ${key(route)}`);
        const response = await call(
          sample.path,
          { ...sample.init, headers: { authorization: `Bearer ${apiKey}` } },
          cappedEnv(),
        );
        expect(response.status).toBe(429);
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
        const body = (await response.json()) as Record<string, unknown>;
        if (route.path.startsWith("/v1/"))
          expect(body).toMatchObject({ error: { code: "insufficient_quota" } });
        else expect(body).toMatchObject({ status: "error", error: "budget_exceeded" });
      });
    }
  }

  it("no provider was asked for a refused request", async () => {
    expect((await calls("budget")).calls).toBe(0);
  });

  it("an embedding's tokens count against the key's budget: the next call over the cap is refused", async () => {
    const env = makeEnv({
      AUTH_DISABLED: "false",
      API_KEYS: `ordinary:${ORDINARY}`,
      KEY_BUDGETS: JSON.stringify({ ordinary: { tokensPerDay: 30 } }),
      EMBEDDING_PROVIDER: "ollama",
      EMBEDDING_BASE_URL: fakeEmbedderUrl(),
      EMBEDDING_MODEL: "ok-8",
    });
    const embed = () =>
      call(
        "/v1/embeddings",
        {
          method: "POST",
          headers: { authorization: `Bearer ${ORDINARY}` },
          json: { model: "default", input: "x".repeat(80) },
        },
        env,
      );
    expect((await embed()).status).toBe(200);
    const refused = await embed();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: "insufficient_quota" } });
  });

  it("a key without a budget is not held back", async () => {
    const env = { ...cappedEnv(), KEY_BUDGETS: "{}" };
    const response = await call(
      "/chat",
      { method: "POST", headers: { authorization: `Bearer ${ORDINARY}` }, json: { message: "Hello" } },
      env,
    );
    expect(response.status).toBe(200);
  });

  it("refuses a malformed KEY_BUDGETS, naming the variable and not its value", async () => {
    const response = await call("/health", {}, makeEnv({ KEY_BUDGETS: '{"alice": {"usdPerDay": "lots"}}' }));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain("KEY_BUDGETS");
    expect(text).not.toContain("lots");
  });
});

describe("traces", () => {
  it("an OTLP endpoint that is down costs the chat nothing: same answer, no error", async () => {
    const down = makeEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" });
    const response = await call(
      "/chat",
      { method: "POST", json: { message: "Hello", metrics: "off" } },
      down,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ message: "Hello from the fake model.", provider: "groq" });
    expect(response.headers.get("server-timing")).toMatch(
      /^gateway;dur=\d+, provider;dur=\d+, total;dur=\d+$/,
    );
  });
});
