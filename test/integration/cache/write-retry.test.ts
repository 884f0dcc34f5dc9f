import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChatStore, createRedisClient, createWriteRetry } from "../../../src/cache";
import { type RedisRestStack, startRedisRestStack } from "../../helpers/bridge";
import { contractDefaults, uniqueId } from "../../unit/cache/chat-store-contract";

let stack: RedisRestStack;

beforeAll(async () => {
  stack = await startRedisRestStack();
});
afterAll(() => stack?.close());

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
    await expect.poll(() => events.some((event) => event.msg === "cache_unavailable")).toBe(true);
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
