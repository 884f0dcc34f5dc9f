import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { awayFromMinuteEdge, bearer, type Envelope, KEYS, securedEnv } from "../../test/worker/security/keys";
import { call, makeEnv } from "../../test/worker/support";
import type { AuditPage } from "../security";

const analyze = (headers: Record<string, string>, env: Record<string, string>) =>
  call("/analyze", { method: "POST", headers, json: { text: "Rate limits keep the bill small." } }, env);

beforeEach(async () => {
  await awayFromMinuteEdge();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("per-key budgets", () => {
  it("answers the N+1th request in the window with 429, Retry-After and RateLimit-* headers", async () => {
    const env = securedEnv({ RATE_LIMIT_ANALYZE_PER_MINUTE: "3" });
    const remaining: Array<string | null> = [];
    for (let index = 0; index < 3; index++) {
      const response = await analyze(bearer(KEYS.alice), env);
      expect(response.status).toBe(200);
      expect(response.headers.get("ratelimit-limit")).toBe("3");
      remaining.push(response.headers.get("ratelimit-remaining"));
    }
    expect(remaining).toEqual(["2", "1", "0"]);

    const refused = await analyze(bearer(KEYS.alice), env);
    expect(refused.status).toBe(429);
    expect((await refused.json()) as Envelope).toMatchObject({ status: "error", error: "rate_limited" });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get("ratelimit-limit")).toBe("3");
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(refused.headers.get("ratelimit-reset"))).toBe(retryAfter);
    expect(refused.headers.get("ratelimit-policy")).toBe("3;w=60");
  });

  it("leaves another key's budget alone", async () => {
    const env = securedEnv({ RATE_LIMIT_ANALYZE_PER_MINUTE: "2" });
    for (let index = 0; index < 3; index++) await analyze(bearer(KEYS.alice), env);
    expect((await analyze(bearer(KEYS.alice), env)).status).toBe(429);
    const other = await analyze(bearer(KEYS.bob), env);
    expect(other.status).toBe(200);
    expect(other.headers.get("ratelimit-remaining")).toBe("1");
  });

  it("keeps /chat and /analyze budgets apart", async () => {
    const env = securedEnv({ RATE_LIMIT_ANALYZE_PER_MINUTE: "1", RATE_LIMIT_CHAT_PER_MINUTE: "1" });
    expect((await analyze(bearer(KEYS.alice), env)).status).toBe(200);
    expect((await analyze(bearer(KEYS.alice), env)).status).toBe(429);
    const chat = () =>
      call(
        "/chat",
        { method: "POST", headers: bearer(KEYS.alice), json: { message: "hi", metrics: "off" } },
        env,
      );
    expect((await chat()).status).toBe(200);
    expect((await chat()).status).toBe(429);
  });

  it("audits the refusal", async () => {
    const env = securedEnv({ RATE_LIMIT_ANALYZE_PER_MINUTE: "1" });
    await analyze(bearer(KEYS.bob), env);
    await analyze(bearer(KEYS.bob), env);
    const page = (await (await call("/audit", { headers: bearer(KEYS.admin) }, env)).json()) as AuditPage;
    expect(page.events[0]).toMatchObject({ type: "rate_limited", reason: "analyze", keyName: "bob" });
  });
});

describe("per-address budgets when auth is off", () => {
  it("limits each client address on its own", async () => {
    const env = makeEnv({ RATE_LIMIT_ANALYZE_PER_MINUTE: "1" });
    expect((await analyze({ "cf-connecting-ip": "198.51.100.1" }, env)).status).toBe(200);
    expect((await analyze({ "cf-connecting-ip": "198.51.100.1" }, env)).status).toBe(429);
    expect((await analyze({ "cf-connecting-ip": "198.51.100.2" }, env)).status).toBe(200);
  });
});

describe("when Redis cannot be reached", () => {
  it("lets the request through and logs the failure", async () => {
    const env = makeEnv({
      UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9",
      UPSTASH_REDIS_REST_TOKEN: "redis-token-unreachable-0001",
      CACHE_TIMEOUT_MS: "200",
      RATE_LIMIT_ANALYZE_PER_MINUTE: "1",
      LOG_LEVEL: "warn",
    });
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    expect((await analyze({}, env)).status).toBe(200);
    expect((await analyze({}, env)).status).toBe(200);
    const failures = lines
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === "rate_limit_unavailable");
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({ level: "warn", budget: "analyze" });
  });
});
