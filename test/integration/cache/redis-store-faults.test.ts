import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CacheUnavailableError, createChatStore, createRedisClient } from "../../../src/cache";
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
