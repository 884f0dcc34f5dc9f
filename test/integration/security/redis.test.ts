import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBridge, startBridge } from "../../../scripts/redis-rest-bridge";
import { AUDIT_STREAM_KEY, createRedisAuditTrail } from "../../../src/security/audit-trail";
import { createRedisLimiter, RateLimitUnavailableError } from "../../../src/security/redis-limiter";
import { freePort, type RedisServer, startRedisServer } from "../../helpers/redis-server";
import { awayFromMinuteEdge } from "../../helpers/time";

const token = "bridge-token-for-security-tests";
let redisServer: RedisServer;
let bridge: RunningBridge;
let redis: Redis;
let hanging: Server;

beforeAll(async () => {
  redisServer = await startRedisServer();
  bridge = await startBridge({ port: await freePort(), host: "127.0.0.1", redisUrl: redisServer.url, token });
  redis = new Redis({ url: bridge.url, token, retry: false });
  hanging = createServer(() => undefined).listen(0, "127.0.0.1");
});

afterAll(async () => {
  hanging?.closeAllConnections();
  hanging?.close();
  await bridge?.close();
  await redisServer?.close();
});

/** The bridge reconnects to a restarted Redis on its own schedule; retry until it has. */
async function appendOnceReconnected(append: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await append();
    } catch (error) {
      if (attempt === 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

const limiter = (name: string, limit: number) =>
  createRedisLimiter(redis, { name, limit, windowMs: 60_000, timeoutMs: 2_000 });

describe("rate limits on a real Redis", () => {
  it("share one budget between isolates and refuse the N+1th request", async () => {
    await awayFromMinuteEdge();
    const first = limiter("shared", 3);
    const second = limiter("shared", 3);
    const decisions = [];
    for (const isolate of [first, second, first, second]) decisions.push(await isolate.check("key:alice"));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((decision) => decision.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3]?.resetAt).toBeGreaterThan(Date.now());
  });

  it("keep each caller's budget apart", async () => {
    await awayFromMinuteEdge();
    const shared = limiter("apart", 1);
    expect((await shared.check("key:alice")).allowed).toBe(true);
    expect((await shared.check("key:alice")).allowed).toBe(false);
    expect((await shared.check("key:bob")).allowed).toBe(true);
  });

  it("refuse a caller already refused in this window from memory, while other isolates still ask Redis", async () => {
    await awayFromMinuteEdge();
    const refusing = limiter("remembered", 1);
    expect((await refusing.check("key:carol")).allowed).toBe(true);
    expect((await refusing.check("key:carol")).allowed).toBe(false);
    const window = Math.floor(Date.now() / 60_000);
    await redis.del(`nexus:ratelimit:remembered:key:carol:${window}`);
    expect((await refusing.check("key:carol")).allowed).toBe(false);
    expect((await limiter("remembered", 1).check("key:carol")).allowed).toBe(true);
  });

  it("count the previous window's requests, weighted by how much of it still overlaps", async () => {
    const windowMs = 3_600_000;
    const window = Math.floor(Date.now() / windowMs);
    await redis.set(`nexus:ratelimit:weighted:key:dave:${window - 1}`, 100, { px: 60_000 });
    const overlapping = (time: number) => Math.floor((1 - (time % windowMs) / windowMs) * 100);
    const before = Date.now();
    const decision = await createRedisLimiter(redis, {
      name: "weighted",
      limit: 100,
      windowMs,
      timeoutMs: 2_000,
    }).check("key:dave");
    const after = Date.now();
    expect(decision.allowed).toBe(true);
    expect(decision.remaining).toBeGreaterThanOrEqual(99 - overlapping(before));
    expect(decision.remaining).toBeLessThanOrEqual(99 - overlapping(after));
    expect(decision.resetAt).toBe((window + 1) * windowMs);
  });

  it("report a Redis that does not answer in time as unavailable, so the caller can let the request through", async () => {
    const { port } = hanging.address() as AddressInfo;
    const slow = new Redis({ url: `http://127.0.0.1:${port}`, token, retry: false });
    const check = createRedisLimiter(slow, {
      name: "slow",
      limit: 1,
      windowMs: 60_000,
      timeoutMs: 300,
    }).check("x");
    await expect(check).rejects.toBeInstanceOf(RateLimitUnavailableError);
  });
});

describe("the audit stream on a real Redis", () => {
  it("stays near its cap and pages newest first without gaps or repeats", async () => {
    const trail = createRedisAuditTrail(redis, { maxEvents: 100 });
    const base = {
      type: "auth_failure" as const,
      requestId: "r",
      method: "GET",
      client: "unknown",
      reason: "missing",
    };
    for (let index = 0; index < 300; index++) {
      await trail.append({ ...base, at: new Date().toISOString(), path: `/models/${index}` });
    }
    const length = await redis.xlen(AUDIT_STREAM_KEY);
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(300);

    const paths: string[] = [];
    let before: string | undefined;
    do {
      const page = await trail.page({ before, limit: 40 });
      paths.push(...page.events.map((event) => event.path));
      before = page.nextCursor ?? undefined;
    } while (before);
    expect(paths).toHaveLength(length);
    expect(paths[0]).toBe("/models/299");
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.map((path) => Number(path.split("/")[2]))).toEqual(
      [...paths].map((_, index) => 299 - index),
    );
  });

  it("fails a write when Redis is down, and works again when it is back", async () => {
    const trail = createRedisAuditTrail(redis, { maxEvents: 100 });
    const event = {
      type: "rate_limited" as const,
      requestId: "r",
      method: "POST",
      path: "/chat",
      client: "unknown",
      at: "",
    };
    await redisServer.stop();
    await expect(trail.append(event)).rejects.toThrow();
    await redisServer.restart();
    await appendOnceReconnected(() => trail.append(event));
    expect((await trail.page({ limit: 1 })).events[0]?.type).toBe("rate_limited");
  });
});
