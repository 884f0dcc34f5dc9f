import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  CacheUnavailableError,
  createChatStore,
  createRedisClient,
  createWriteRetry,
} from "../../../src/cache";
import { type RedisRestStack, startRedisRestStack } from "../../helpers/bridge";
import { contractDefaults, uniqueId } from "../../unit/cache/chat-store-contract";

let stack: RedisRestStack;

beforeAll(async () => {
  stack = await startRedisRestStack();
});
afterAll(() => stack?.close());

describe("redis ChatStore when redis-server goes away and comes back", () => {
  it("fails calls with CacheUnavailableError, logs the outage once, and recovers with the same store", async () => {
    const events: Record<string, unknown>[] = [];
    const store = createChatStore({
      ...contractDefaults,
      redis: createRedisClient({ url: stack.url, token: stack.token, timeoutMs: 1_000 }),
      log: (event) => events.push(event),
    });
    const messageId = uniqueId("msg");
    await store.saveMetrics(messageId, { score: 1 });
    expect(await store.getMetrics(messageId)).toEqual({ score: 1 });

    await stack.redisServer.stop();

    const failure = await store.getMetrics(messageId).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CacheUnavailableError);
    expect(String((failure as Error).message)).not.toContain(stack.token);
    expect(String((failure as Error).message)).not.toContain(new URL(stack.url).host);
    await expect(store.loadHistory(uniqueId("conv"))).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(
      store.saveExchange({ messageId, message: { text: "x" }, conversationId: "c", turns: [] }),
    ).rejects.toBeInstanceOf(CacheUnavailableError);
    expect(await store.health()).toMatchObject({
      status: "degraded",
      detail: expect.stringMatching(/HTTP 500/),
    });
    expect(events.filter((event) => event.msg === "cache_unavailable")).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(stack.token);

    await stack.redisServer.restart();

    await vi.waitFor(() => store.saveMetrics(messageId, { score: 2 }), { timeout: 10_000, interval: 100 });
    expect(await store.getMetrics(messageId)).toEqual({ score: 2 });
    expect(await store.health()).toEqual({ status: "ok" });
    expect(events.map((event) => event.msg)).toEqual(["cache_unavailable", "cache_recovered"]);
  });
});

describe("cache writes after the answer", () => {
  it("are retried through a short Redis outage and stored once it is back", async () => {
    const events: Record<string, unknown>[] = [];
    const store = createChatStore({
      ...contractDefaults,
      redis: createRedisClient({ url: stack.url, token: stack.token, timeoutMs: 1_000 }),
      log: (event) => events.push(event),
    });
    const writes = createWriteRetry({
      budgetMs: 20_000,
      firstDelayMs: 100,
      log: (event) => events.push(event),
    });
    const messageId = uniqueId("msg");

    await stack.redisServer.stop();
    const pending = writes.run("saveExchange", () =>
      store.saveExchange({ messageId, message: { text: "kept" }, turns: [] }),
    );
    // The first try fails within the client's 1 s timeout; expect.poll's own default (1 s) is no margin.
    await expect
      .poll(() => events.some((event) => event.msg === "cache_unavailable"), { timeout: 10_000 })
      .toBe(true);
    await stack.redisServer.restart();

    expect(await pending).toBe(true);
    expect(await store.getMessage(messageId)).toEqual({ text: "kept" });
    expect(writes.dropped).toBe(0);
    expect(events).toContainEqual(
      expect.objectContaining({
        msg: "cache_write_retried",
        operation: "saveExchange",
        attempts: expect.any(Number),
      }),
    );
  });

  it("are dropped, logged and counted once the retry budget is spent", async () => {
    const events: Record<string, unknown>[] = [];
    const store = createChatStore({
      ...contractDefaults,
      redis: createRedisClient({ url: stack.url, token: stack.token, timeoutMs: 200 }),
    });
    const writes = createWriteRetry({ budgetMs: 300, firstDelayMs: 50, log: (event) => events.push(event) });

    await stack.redisServer.stop();
    try {
      expect(await writes.run("saveMetrics", () => store.saveMetrics(uniqueId("msg"), { score: 1 }))).toBe(
        false,
      );
    } finally {
      await stack.redisServer.restart();
    }
    expect(writes.dropped).toBe(1);
    const dropped = events.find((event) => event.msg === "cache_write_dropped");
    expect(dropped).toMatchObject({ operation: "saveMetrics", droppedTotal: 1 });
    expect(dropped?.attempts).toBeGreaterThan(1);
    expect(JSON.stringify(events)).not.toContain(stack.token);
  });
});
