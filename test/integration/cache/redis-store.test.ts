import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatStoreOptions, cacheKeys, createChatStore, createRedisClient } from "../../../src/cache";
import { type RedisRestStack, startRedisRestStack } from "../../helpers/bridge";
import { contractDefaults, describeChatStoreContract, uniqueId } from "../../unit/cache/chat-store-contract";

let stack: RedisRestStack;
let inspector: Redis;

beforeAll(async () => {
  stack = await startRedisRestStack();
  inspector = new Redis({ url: stack.url, token: stack.token, enableTelemetry: false });
});
afterAll(() => stack?.close());

const clientFor = (fetchImpl?: typeof fetch) =>
  createRedisClient({ url: stack.url, token: stack.token, timeoutMs: 2_000, fetch: fetchImpl });

const redisStore = (overrides: Partial<ChatStoreOptions> = {}) =>
  createChatStore({ ...contractDefaults, redis: clientFor(), ...overrides });

/** A store whose HTTP requests to the bridge are recorded by path. */
function countingStore(overrides: Partial<ChatStoreOptions> = {}) {
  const requests: string[] = [];
  const store = redisStore({
    ...overrides,
    redis: clientFor((input, init) => {
      requests.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return fetch(input, init);
    }),
  });
  return { store, requests };
}

describeChatStoreContract("redis behind the REST bridge", () => redisStore);

describe("redis ChatStore", () => {
  it("reports the redis driver, a usable REST client and health ok", async () => {
    const store = redisStore();
    expect(store.driver).toBe("redis");
    expect(await clientFor().ping()).toBe("PONG");
    expect(await store.health()).toEqual({ status: "ok" });
  });

  it("writes namespaced keys whose TTLs Redis itself reports", async () => {
    const store = redisStore({ messagesTtlSeconds: 3_600, metricsTtlSeconds: 7_200 });
    const messageId = uniqueId("msg");
    const conversationId = uniqueId("conv");
    const textHash = uniqueId("sha256");
    await store.saveExchange({
      messageId,
      message: { text: "hi" },
      metrics: { score: 1 },
      conversationId,
      turns: [{ role: "user", content: "hi" }],
    });
    await store.saveAnalysis(textHash, { score: 2 });

    const ttl = (key: string) => inspector.ttl(key);
    expect(await ttl(`nn:msg:${messageId}`)).toBeGreaterThan(3_590);
    expect(await ttl(`nn:msg:${messageId}`)).toBeLessThanOrEqual(3_600);
    expect(await ttl(`nn:metrics:${messageId}`)).toBeGreaterThan(7_190);
    expect(await ttl(`nn:history:${conversationId}`)).toBeGreaterThan(3_590);
    expect(await ttl(`nn:conv-msgs:${conversationId}`)).toBeGreaterThan(7_190);
    expect(await ttl(`nn:analysis:${textHash}`)).toBeGreaterThan(7_190);
    expect(cacheKeys.message(messageId)).toBe(`nn:msg:${messageId}`);
  });

  it("refreshes the history TTL each time turns are appended", async () => {
    const store = redisStore({ messagesTtlSeconds: 3_600 });
    const conversationId = uniqueId("conv");
    const key = cacheKeys.conversation(conversationId);
    const exchange = (n: number) => ({
      messageId: uniqueId("msg"),
      message: { n },
      conversationId,
      turns: [{ role: "user" as const, content: `turn ${n}` }],
    });
    await store.saveExchange(exchange(1));
    await inspector.expire(key, 60);
    expect(await inspector.ttl(key)).toBeLessThanOrEqual(60);

    await store.saveExchange(exchange(2));
    expect(await inspector.ttl(key)).toBeGreaterThan(3_590);
    expect(await inspector.zcard(key)).toBe(2);
  });

  it("costs one HTTP request (one atomic script) for saveExchange and one for loadHistory", async () => {
    const { store, requests } = countingStore();
    const conversationId = uniqueId("conv");
    await store.saveExchange({
      messageId: uniqueId("msg"),
      message: { text: "hi" },
      metrics: { score: 1 },
      conversationId,
      turns: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
      ],
    });
    expect(requests).toEqual(["/"]);

    requests.length = 0;
    expect(await store.loadHistory(conversationId)).toHaveLength(2);
    expect(requests).toEqual(["/"]);
  });

  it("skips history entries that are not turns instead of failing the read", async () => {
    const store = redisStore();
    const conversationId = uniqueId("conv");
    await inspector.zadd(
      cacheKeys.conversation(conversationId),
      { score: 1, member: "not json" },
      { score: 2, member: JSON.stringify({ at: "m:0", role: "user", content: "ok" }) },
    );
    expect(await store.loadHistory(conversationId)).toEqual([{ role: "user", content: "ok" }]);
  });
});
