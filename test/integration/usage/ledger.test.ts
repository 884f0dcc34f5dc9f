import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWriteRetry } from "../../../src/cache/write-retry";
import { createUsage, type Usage, type UsageEntry } from "../../../src/usage";
import { type RedisRestStack, startRedisRestStack } from "../../helpers/bridge";

/**
 * The usage ledger and budgets on a real redis-server (behind the REST bridge), with the clock
 * given explicitly: a period's reset is tested by moving the time, not by waiting for it.
 */
let stack: RedisRestStack;
let usage: Usage;

beforeAll(async () => {
  stack = await startRedisRestStack();
  const redis = new Redis({ url: stack.url, token: stack.token });
  usage = createUsage({
    config: {
      budgets: { alice: { usdPerDay: 0.01, tokensPerMonth: 1_000 } },
      prices: { "ollama/*": { inputPerMTok: 1_000, outputPerMTok: 2_000 } },
      ttlSeconds: 90 * 86_400,
    },
    redis,
    writes: createWriteRetry({ budgetMs: 1_000, log: () => undefined }),
  });
});

afterAll(() => stack?.close());

const at = (iso: string) => Date.parse(iso);
let ids = 0;
const entry = (overrides: Partial<UsageEntry>): UsageEntry => ({
  id: `msg-${++ids}`,
  key: "alice",
  provider: "ollama",
  model: "llama3.2",
  outcome: "answered",
  tokens: { promptTokens: 3, completionTokens: 2, estimated: false },
  costUsd: usage.prices.costOf("ollama", "llama3.2", { promptTokens: 3, completionTokens: 2 }),
  latencyMs: 10,
  humanLikenessScore: 55,
  at: at("2026-03-31T23:59:00Z"),
  ...overrides,
});
const small = () => ({ costUsd: 0, tokens: 1 });

describe("the usage ledger on Redis", () => {
  it("counts a record retried with the same id once", async () => {
    const once = entry({ key: "retried" });
    await usage.record(once);
    await usage.record(once);
    const rows = await usage.ledger.rows("2026-03-31", "2026-03-31", ["retried"]);
    expect(rows).toEqual([
      expect.objectContaining({
        model: "ollama/llama3.2",
        requests: 1,
        promptTokens: 3,
        completionTokens: 2,
      }),
    ]);
    expect(rows[0]?.costUsd).toBeCloseTo((3 * 1_000 + 2 * 2_000) / 1e6, 12);
    expect(rows[0]?.scoreHistogram[5]).toBe(1);
  });

  it("a day's budget stops the key until the next UTC day, and the month's until the next month", async () => {
    // 0.007 dollars a request: the second passes 0.01 a day.
    await usage.record(entry({}));
    await usage.record(entry({}));
    const lastMinute = await usage.budgets.check("alice", small, at("2026-03-31T23:59:30Z"));
    expect(lastMinute).toMatchObject({
      allowed: false,
      cap: "usdPerDay",
      period: "day",
      retryAfterSeconds: 30,
    });

    expect(await usage.budgets.check("alice", small, at("2026-04-01T00:00:01Z"))).toEqual({ allowed: true });

    // 990 tokens more in April: the month's cap of 1000 is reached, even on a new day.
    await usage.record(
      entry({
        at: at("2026-04-02T10:00:00Z"),
        costUsd: 0,
        tokens: { promptTokens: 990, completionTokens: 0, estimated: false },
      }),
    );
    const nextDay = await usage.budgets.check(
      "alice",
      () => ({ costUsd: 0, tokens: 20 }),
      at("2026-04-03T00:00:00Z"),
    );
    expect(nextDay).toMatchObject({ allowed: false, cap: "tokensPerMonth", period: "month" });
    expect(nextDay.allowed === false && nextDay.retryAfterSeconds).toBe(28 * 86_400);
    expect(await usage.budgets.check("alice", small, at("2026-05-01T00:00:00Z"))).toEqual({ allowed: true });
  });

  it("a request whose worst case would pass the cap is refused while a smaller one goes through", async () => {
    const when = at("2026-06-10T12:00:00Z");
    await usage.record(
      entry({ at: when, costUsd: 0, tokens: { promptTokens: 900, completionTokens: 0, estimated: false } }),
    );
    expect(await usage.budgets.check("alice", () => ({ costUsd: 0, tokens: 100 }), when)).toEqual({
      allowed: true,
    });
    expect(await usage.budgets.check("alice", () => ({ costUsd: 0, tokens: 101 }), when)).toMatchObject({
      allowed: false,
      cap: "tokensPerMonth",
    });
  });

  it("a run-time budget wins over the configured one and can be removed", async () => {
    await usage.budgets.set("alice", { tokensPerDay: 1 });
    expect(await usage.budgets.budgetOf("alice")).toEqual({ tokensPerDay: 1 });
    await usage.budgets.set("alice", null);
    expect(await usage.budgets.budgetOf("alice")).toEqual({ usdPerDay: 0.01, tokensPerMonth: 1_000 });
  });
});
