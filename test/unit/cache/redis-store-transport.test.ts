import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  CacheUnavailableError,
  type ChatStore,
  createChatStore,
  createRedisClient,
} from "../../../src/cache";
import { contractDefaults } from "./chat-store-contract";

const TOKEN = "transport-test-token-0123456789";
let server: Server | undefined;

/** Starts a stand-in REST endpoint on 127.0.0.1 and counts the requests and connections it sees. */
async function fakeRestEndpoint(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const seen = { requests: 0, connections: 0 };
  server = createServer((request, response) => {
    seen.requests++;
    handler(request, response);
  });
  server.on("connection", () => seen.connections++);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

function storeFor(url: string, events: Record<string, unknown>[] = []): ChatStore {
  return createChatStore({
    ...contractDefaults,
    redis: createRedisClient({ url, token: TOKEN, timeoutMs: 200 }),
    log: (event) => events.push(event),
  });
}

async function failureOf(call: Promise<unknown>): Promise<CacheUnavailableError> {
  const error = await call.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(CacheUnavailableError);
  return error as CacheUnavailableError;
}

describe("redis ChatStore transport", () => {
  it("gives up on an endpoint that never answers after timeoutMs, with one request and no retries", async () => {
    const { url, seen } = await fakeRestEndpoint(() => {});
    const failure = await failureOf(storeFor(url).getMessage("m1"));
    expect(failure.reason).toMatch(/timeout after 200 ms/);
    expect(seen.requests).toBe(1);
  });

  it("does not retry when the connection drops", async () => {
    const { url, seen } = await fakeRestEndpoint((request) => request.socket.destroy());
    const failure = await failureOf(storeFor(url).loadHistory("c1"));
    expect(failure.reason).toBe("network error");
    expect(seen.connections).toBe(1);
  });

  it("treats a refused token as unavailable without leaking the token or the URL", async () => {
    const { url } = await fakeRestEndpoint((_request, response) => {
      response.writeHead(401, { "content-type": "application/json" }).end('{"error":"Unauthorized"}');
    });
    const failure = await failureOf(storeFor(url).getMetrics("m1"));
    expect(failure.reason).toBe("HTTP 401");
    expect(failure.message).not.toContain(TOKEN);
    expect(failure.message).not.toContain(url);
  });

  it("logs one event per failure burst and reports health degraded", async () => {
    const events: Record<string, unknown>[] = [];
    const { url } = await fakeRestEndpoint((_request, response) =>
      response.writeHead(502).end("<html>bad gateway"),
    );
    const store = storeFor(url, events);
    await failureOf(store.getMessage("a"));
    await failureOf(store.getConversation("b"));
    await failureOf(store.saveAnalysis("c", { score: 1 }));
    expect(await store.health()).toMatchObject({ status: "degraded" });
    expect(events).toEqual([
      {
        msg: "cache_unavailable",
        driver: "redis",
        operation: "getMessage",
        reason: "HTTP 502 with a body that is not JSON",
      },
    ]);
  });

  it("sends the bearer token and no telemetry headers", async () => {
    let headers: IncomingMessage["headers"] = {};
    const { url } = await fakeRestEndpoint((request, response) => {
      headers = request.headers;
      response.writeHead(200, { "content-type": "application/json" }).end('{"result":null}');
    });
    expect(await storeFor(url).getMessage("m1")).toBeNull();
    expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(Object.keys(headers).filter((name) => name.startsWith("upstash-telemetry"))).toEqual([]);
  });

  it("sends commands issued in the same turn as one pipeline, each answered or failed on its own", async () => {
    const paths: string[] = [];
    const { url, seen } = await fakeRestEndpoint((request, response) => {
      paths.push(request.url ?? "");
      const answer = JSON.stringify([{ result: "OK" }, { error: "ERR value is not an integer" }]);
      response.writeHead(200, { "content-type": "application/json" }).end(answer);
    });
    const redis = createRedisClient({ url, token: TOKEN, timeoutMs: 200 });
    const [set, incr] = await Promise.allSettled([redis.set("a", "1"), redis.incr("b")]);
    expect(set).toEqual({ status: "fulfilled", value: "OK" });
    expect(incr).toMatchObject({ status: "rejected", reason: { message: "ERR value is not an integer" } });
    expect(seen.requests).toBe(1);
    expect(paths).toEqual(["/pipeline"]);
  });

  it("fails every command of a pipeline that times out, without retrying it", async () => {
    const { url, seen } = await fakeRestEndpoint(() => {});
    const store = storeFor(url);
    const [message, metrics] = await Promise.all([
      failureOf(store.getMessage("m1")),
      failureOf(store.getMetrics("m2")),
    ]);
    expect([message.reason, metrics.reason]).toEqual(["timeout after 200 ms", "timeout after 200 ms"]);
    expect(seen.requests).toBe(1);
  });
});
