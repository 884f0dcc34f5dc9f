import { describe, expect, it } from "vitest";
import { call, makeEnv } from "./support";

describe("cache writes after the answer", () => {
  it("are counted in /health when Redis stays down past the retry budget", async () => {
    const env = makeEnv({
      UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9",
      UPSTASH_REDIS_REST_TOKEN: "redis-token-unreachable-0002",
      CACHE_WRITE_RETRY_MS: "100",
    });
    const before = (await (await call("/health", {}, env)).json()) as {
      components: { cache: { droppedWrites: number } };
    };
    const chat = await call("/chat", { method: "POST", json: { message: "Hi", metrics: "off" } }, env);
    expect(chat.status).toBe(200);
    const after = (await (await call("/health", {}, env)).json()) as {
      components: { cache: { status: string; droppedWrites: number } };
    };
    expect(after.components.cache.status).toBe("degraded");
    expect(after.components.cache.droppedWrites).toBe(before.components.cache.droppedWrites + 1);
  });
});
