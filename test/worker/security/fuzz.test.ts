import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { call } from "../support";
import { headerValue, hostileBody, hostileString, pathSegment } from "./hostile";
import { bearer, KEYS, securedEnv } from "./keys";

const env = securedEnv({
  RATE_LIMIT_CHAT_PER_MINUTE: "100000",
  RATE_LIMIT_ANALYZE_PER_MINUTE: "100000",
  PARTYKIT_HOST: "http://127.0.0.1:9",
  PARTY_SECRET: "party-secret-fuzz-00000001",
  CORS_ORIGINS: "https://app.example",
});

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] as const;
const STACK_TRACE = /\bat .+[:(].*\d+:\d+\)?|\bnode_modules\b|\.ts:\d+/;

/** Mostly a valid key, so the request reaches validation; sometimes hostile Authorization values. */
const authorization = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(KEYS.alice, KEYS.bob, KEYS.admin).map((key) => bearer(key).authorization),
  },
  { weight: 1, arbitrary: headerValue },
);

const hostileHeaders = fc.record(
  {
    authorization,
    "content-type": fc.oneof(
      { weight: 3, arbitrary: fc.constant("application/json") },
      { weight: 1, arbitrary: headerValue },
    ),
    accept: headerValue,
    "x-request-id": headerValue,
    origin: headerValue,
    "cf-connecting-ip": headerValue,
    "content-length": headerValue,
  },
  { requiredKeys: ["authorization", "content-type"] },
);

/** Sends one request; null when fetch itself refuses to build it (invalid header, say). */
async function send(path: string, method: string, headers: Record<string, string>, body?: string) {
  let request: RequestInit;
  try {
    const hasBody = body !== undefined && method !== "GET" && method !== "HEAD";
    request = { method, headers: new Headers(headers), ...(hasBody ? { body } : {}) };
    new Request(`http://nexus.test${path}`, request);
  } catch {
    return null;
  }
  return call(path, request, env);
}

/** The promise every answer keeps: not a 500, in the envelope when it fails, no stack trace. */
async function expectSafe(response: Response | null, method: string): Promise<void> {
  if (!response) return;
  expect(response.status).not.toBe(500);
  const text = method === "HEAD" ? "" : await response.text();
  expect(text).not.toMatch(STACK_TRACE);
  if (response.status >= 400 && method !== "HEAD") {
    const envelope = JSON.parse(text) as Record<string, unknown>;
    expect(envelope).toEqual({
      status: "error",
      error: expect.stringMatching(/^[a-z_]+$/),
      details: expect.any(String),
    });
  }
}

const runs = (numRuns: number) => ({ numRuns, endOnFailure: true });
const FUZZ_TIMEOUT_MS = 20_000;

describe("hostile requests never break the service", () => {
  it(
    "POST /chat with hostile bodies and headers",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          hostileBody(),
          hostileHeaders,
          fc.constantFrom(...METHODS),
          async (body, headers, method) => {
            await expectSafe(await send("/chat", method, headers, body), method);
          },
        ),
        runs(400),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "POST /analyze with hostile bodies and headers",
    async () => {
      await fc.assert(
        fc.asyncProperty(hostileBody(["text"]), hostileHeaders, async (body, headers) => {
          await expectSafe(await send("/analyze", "POST", headers, body), "POST");
        }),
        runs(250),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "the id routes with hostile paths, methods and query strings",
    async () => {
      const paths = fc.constantFrom(
        "/messages/",
        "/metrics/",
        "/conversations/",
        "/rooms/",
        "/audit/",
        "/",
        "/health/",
      );
      await fc.assert(
        fc.asyncProperty(
          paths,
          pathSegment,
          fc.option(pathSegment),
          fc.constantFrom(...METHODS),
          hostileHeaders,
          async (prefix, segment, tail, method, headers) => {
            const path = `${prefix}${segment}${tail === null ? "" : `/${tail}`}${prefix === "/rooms/" ? "/token" : ""}`;
            await expectSafe(await send(path, method, headers, "{}"), method);
          },
        ),
        runs(500),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "GET /audit and /health with hostile query strings",
    async () => {
      const query = fc.dictionary(
        fc.oneof(fc.constantFrom("limit", "before"), hostileString),
        hostileString,
        {
          maxKeys: 3,
        },
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom("/audit", "/health", "/models"), query, async (path, params) => {
          const search = Object.entries(params)
            .map(([key, value]) => `${encodeLoose(key)}=${encodeLoose(value)}`)
            .join("&");
          await expectSafe(await send(`${path}?${search}`, "GET", bearer(KEYS.admin)), "GET");
        }),
        runs(200),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it("keeps serving afterwards", async () => {
    expect((await call("/health", {}, env)).status).toBe(200);
    const analyzed = await call(
      "/analyze",
      { method: "POST", headers: bearer(KEYS.alice), json: { text: "Still standing after the storm." } },
      env,
    );
    expect(analyzed.status).toBe(200);
    const chat = await call(
      "/chat",
      { method: "POST", headers: bearer(KEYS.bob), json: { message: "hi" } },
      env,
    );
    expect(chat.status).toBe(200);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

function encodeLoose(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text.replace(/[^\x20-\x7e]/g, "");
  }
}
