import { errors, Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisRestStack, startRedisRestStack } from "../../helpers/bridge";
import { uniqueId } from "../../unit/cache/chat-store-contract";

const MAX_BODY_BYTES = 4_096;
let stack: RedisRestStack;
let redis: Redis;

beforeAll(async () => {
  stack = await startRedisRestStack({ maxBodyBytes: MAX_BODY_BYTES });
  redis = new Redis({ url: stack.url, token: stack.token, enableTelemetry: false });
});
afterAll(() => stack?.close());

/** A raw request to the bridge, to see exactly what goes over the wire. */
async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe("REST bridge with @upstash/redis", () => {
  it("runs single commands", async () => {
    const key = uniqueId("k");
    expect(await redis.set(key, "hello")).toBe("OK");
    expect(await redis.get(key)).toBe("hello");
    expect(await redis.incr(uniqueId("counter"))).toBe(1);
    expect(await redis.get(uniqueId("absent"))).toBeNull();
    const hash = uniqueId("h");
    await redis.hset(hash, { a: "1", b: "two" });
    expect(await redis.hgetall(hash)).toEqual({ a: 1, b: "two" });
    const ranking = uniqueId("z");
    await redis.zadd(ranking, { score: 1.5, member: "m" });
    expect(await redis.zrange(ranking, 0, -1, { withScores: true })).toEqual(["m", 1.5]);
  });

  it("round-trips non-ASCII text and emoji (the client asks for base64)", async () => {
    const key = uniqueId("k");
    const text = "Grüße, 世界! 👋🏽 — “quoted” ✓";
    await redis.set(key, text);
    expect(await redis.get(key)).toBe(text);
    await redis.rpush(`${key}:list`, text, "plain");
    expect(await redis.lrange(`${key}:list`, 0, -1)).toEqual([text, "plain"]);
  });

  it("runs a pipeline in order and a multi-exec transaction", async () => {
    const key = uniqueId("k");
    const pipeline = redis.pipeline();
    pipeline.set(key, 1);
    pipeline.incr(key);
    pipeline.get(key);
    expect(await pipeline.exec()).toEqual(["OK", 2, 2]);

    const transaction = redis.multi();
    transaction.incrby(key, 10);
    transaction.hset(`${key}:h`, { field: "ünïcode" });
    transaction.hgetall(`${key}:h`);
    expect(await transaction.exec()).toEqual([12, 1, { field: "ünïcode" }]);
  });

  it("reports a failing command inside a pipeline as that item's error", async () => {
    const key = uniqueId("k");
    await redis.set(key, "not a number");
    const pipeline = redis.pipeline();
    pipeline.set(`${key}:ok`, "fine");
    pipeline.incr(key);
    pipeline.get(`${key}:ok`);
    const results = await pipeline.exec({ keepErrors: true });
    expect(results.map((item) => item.error)).toEqual([
      undefined,
      "ERR value is not an integer or out of range",
      undefined,
    ]);
    expect(results[2]?.result).toBe("fine");
    await expect(redis.incr(key)).rejects.toThrow(errors.UpstashError);
  });

  it("rejects a wrong token with 401 and a missing header with 400", async () => {
    const wrong = new Redis({ url: stack.url, token: "wrong-token", enableTelemetry: false });
    await expect(wrong.get("k")).rejects.toThrow(/Invalid token/);
    expect((await post("/", ["PING"], { authorization: "Bearer wrong-token" })).status).toBe(401);

    const response = await fetch(`${stack.url}/`, { method: "POST", body: '["PING"]' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "Missing/Invalid authorization header" });
    expect((await post("/", ["PING"], { authorization: "Basic abc" })).status).toBe(400);
  });
});

describe("REST bridge wire format", () => {
  it("base64-encodes every string in the result, nested ones too, and leaves numbers and null", async () => {
    const script = "return {1, 'héllo 👋', {2, 'OK'}, false}";
    const encoded = await post("/", ["EVAL", script, 0], { "upstash-encoding": "base64" });
    expect(encoded).toEqual({
      status: 200,
      body: { result: [1, base64("héllo 👋"), [2, base64("OK")], null] },
    });

    const plain = await post("/", ["EVAL", script, 0]);
    expect(plain.body).toEqual({ result: [1, "héllo 👋", [2, "OK"], null] });
  });

  it("answers a failing single command with 400 and a plain ERR message", async () => {
    const response = await post("/", ["NOSUCHCOMMAND", "x"], { "upstash-encoding": "base64" });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: expect.stringMatching(/^ERR unknown command/) });
  });

  it("never encodes errors inside a 200 pipeline", async () => {
    const key = uniqueId("k");
    const response = await post(
      "/pipeline",
      [
        ["SET", key, "v"],
        ["INCR", key],
      ],
      { "upstash-encoding": "base64" },
    );
    expect(response).toEqual({
      status: 200,
      body: [{ result: base64("OK") }, { error: "ERR value is not an integer or out of range" }],
    });
  });

  it("applies nothing of a transaction that Redis refuses", async () => {
    const key = uniqueId("k");
    const response = await post("/multi-exec", [["SET", key, "v"], ["NOSUCHCOMMAND"]]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: expect.stringMatching(/^EXECABORT/) });
    expect(await redis.exists(key)).toBe(0);
  });

  it("rejects malformed bodies, unknown paths and bodies over the size limit", async () => {
    expect(await post("/", "[not json")).toEqual({
      status: 400,
      body: { error: expect.stringMatching(/^ERR/) },
    });
    expect((await post("/", [])).status).toBe(400);
    expect((await post("/", [{ nested: true }])).status).toBe(400);
    expect((await post("/pipeline", ["PING"])).status).toBe(400);
    expect((await post("/", ["SUBSCRIBE", "channel"])).status).toBe(400);
    expect((await post("/set/foo/bar", [])).status).toBe(404);
    expect((await post("/", ["SET", uniqueId("k"), "x".repeat(MAX_BODY_BYTES)])).status).toBe(413);
  });

  it("counts the requests and commands it ran on GET /stats, for the token's holder only", async () => {
    const stats = async () => {
      const response = await fetch(`${stack.url}/stats`, {
        headers: { authorization: `Bearer ${stack.token}` },
      });
      return (await response.json()) as { requests: number; pipelines: number; commands: number };
    };
    const before = await stats();
    await post("/", ["SET", uniqueId("counted"), "1"]);
    await post("/pipeline", [
      ["INCR", uniqueId("counted")],
      ["INCR", uniqueId("counted")],
    ]);
    expect(await stats()).toEqual({
      requests: before.requests + 2,
      pipelines: before.pipelines + 1,
      commands: before.commands + 3,
    });
    expect((await fetch(`${stack.url}/stats`)).status).toBe(400);
  });

  it("greets on GET /", async () => {
    const response = await fetch(`${stack.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/Welcome/);
  });
});
