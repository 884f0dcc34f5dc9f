import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRoomClient, waitFor } from "../../helpers/partykit";
import { type Stack, startStack } from "../../helpers/stack";

/**
 * The whole stack as a user meets it: real `wrangler dev` (workerd) in front of a fake Groq, with
 * real redis-server behind the Upstash-compatible bridge and real `partykit dev` rooms.
 */
const PARTY_SECRET = "stack-test-party-secret-0123456789";
let stack: Stack<{ redis: true; partySecret: string }>;

beforeAll(async () => {
  stack = await startStack({
    redis: true,
    partySecret: PARTY_SECRET,
    vars: {
      AUTH_DISABLED: "true",
      GROQ_API_KEY: "gsk_stack_test_key_000000000000",
      GROQ_MODEL: "ok:stack",
      CACHE_TIMEOUT_MS: "300",
      SSE_KEEPALIVE_MS: "300",
    },
  });
}, 120_000);

afterAll(() => stack?.stop());

const post = (path: string, body: unknown) =>
  fetch(`${stack.worker.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

interface ChatAnswer {
  id: string;
  conversationId: string;
  message: string;
  metrics: { human_likeness_score: number; source: string } | null;
  metricsStatus: string;
}

async function watch(conversationId: string) {
  const tokenResponse = await post(`/rooms/${conversationId}/token`, {});
  expect(tokenResponse.status).toBe(200);
  const { token } = (await tokenResponse.json()) as { token: string };
  const client = await connectRoomClient(stack.rooms.host, conversationId, PARTY_SECRET, token);
  await client.opened;
  return client;
}

/** A part's status in /health. */
const componentStatus = async (part: "cache" | "rooms") => {
  const health = (await (await fetch(`${stack.worker.url}/health`)).json()) as {
    components: Record<string, { status: string }>;
  };
  return health.components[part]?.status;
};

const metricsFor = (client: Awaited<ReturnType<typeof watch>>, messageId: string) =>
  client.messages.flatMap((message) =>
    message.type === "metrics" && message.data.messageId === messageId ? [message.data] : [],
  );

describe("chat through wrangler dev", () => {
  it("answers a ChatResponse with local metrics, and caches message, metrics and history", async () => {
    const response = await post("/chat", { message: "Hello there", conversationId: "stack-history" });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as ChatAnswer;
    expect(answer).toMatchObject({ message: "Hello from the fake model.", metricsStatus: "ready" });
    expect(answer.metrics).toMatchObject({ source: "local" });

    await expect
      .poll(async () => (await fetch(`${stack.worker.url}/messages/${answer.id}`)).status, { timeout: 5_000 })
      .toBe(200);
    const metrics = await (await fetch(`${stack.worker.url}/metrics/${answer.id}`)).json();
    expect(metrics).toEqual(answer.metrics);

    await post("/chat", { message: "And again", conversationId: "stack-history", metrics: "off" });
    await expect
      .poll(
        async () => {
          const history = (await (await fetch(`${stack.worker.url}/conversations/stack-history`)).json()) as {
            turns?: unknown[];
          };
          return history.turns?.length;
        },
        { timeout: 5_000 },
      )
      .toBe(4);
  });

  it("streams Server-Sent Events over a real connection", async () => {
    const response = await post("/chat", { message: "Hi", stream: true, metrics: "off" });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const text = await response.text();
    expect(text).toContain("event: delta");
    expect(text).toMatch(/event: done\ndata: .*"message":"Hello from the fake model\."/);
  });

  it("aborts the upstream stream when the client disconnects mid-answer", async () => {
    const key = "stack-disconnect";
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${stack.worker.url}/chat`, {
        method: "POST",
        headers: { "content-type": "application/json" },
      });
      req.on("error", () => resolve());
      req.on("response", (response) => {
        response.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("event: delta")) {
            req.destroy();
            resolve();
          }
        });
        response.on("error", () => resolve());
      });
      req.end(
        JSON.stringify({
          message: "Hi",
          stream: true,
          metrics: "off",
          provider: "groq",
          model: `hang-after-first:${key}`,
        }),
      );
      setTimeout(() => reject(new Error("no delta arrived")), 10_000);
    });
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${stack.llm.url}/__calls/${key}`)).json()) as { aborted: number }).aborted,
        { timeout: 10_000 },
      )
      .toBe(1);
  });
});

describe("live metrics in the conversation's room", () => {
  it("reach a watcher of the conversation and no one watching another", async () => {
    const mine = await watch("stack-room-a");
    const other = await watch("stack-room-b");
    const answer = (await (
      await post("/chat", { message: "Hi", conversationId: "stack-room-a" })
    ).json()) as ChatAnswer;
    await waitFor(() => metricsFor(mine, answer.id).length === 1, "the metrics message");
    expect(metricsFor(mine, answer.id)[0]?.metrics).toEqual(answer.metrics);
    const states = () =>
      mine.messages.flatMap((message) =>
        message.type === "status" && "state" in message.data && message.data.messageId === answer.id
          ? [message.data.state]
          : [],
      );
    await waitFor(() => states().includes("done"), "the done status");
    expect(states()).toEqual(expect.arrayContaining(["generating", "done"]));
    expect(metricsFor(other, answer.id)).toHaveLength(0);
    mine.close();
    other.close();
  });

  it("carry the score of the assistant's replies so far in the conversation", async () => {
    const watcher = await watch("stack-room-conversation");
    const first = (await (
      await post("/chat", { message: "Hi", conversationId: "stack-room-conversation" })
    ).json()) as ChatAnswer;
    await expect
      .poll(
        async () => {
          const history = (await (
            await fetch(`${stack.worker.url}/conversations/stack-room-conversation`)
          ).json()) as { turns?: unknown[] };
          return history.turns?.length;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBe(2);
    const second = (await (
      await post("/chat", { message: "And again?", conversationId: "stack-room-conversation" })
    ).json()) as ChatAnswer & { metrics: { word_count: number; conversation?: Record<string, unknown> } };
    await waitFor(() => metricsFor(watcher, second.id).length === 1, "the second reply's metrics");
    // Each reply's metrics go to the room after its own answer: the first's may still be on its way.
    await waitFor(() => metricsFor(watcher, first.id).length === 1, "the first reply's metrics");
    const carried = metricsFor(watcher, second.id)[0]?.metrics as { conversation?: Record<string, unknown> };
    expect(carried.conversation).toMatchObject({ replies: 2, words: 2 * second.metrics.word_count });
    expect(carried.conversation).toEqual(second.metrics.conversation);
    expect(metricsFor(watcher, first.id)[0]?.metrics).not.toHaveProperty("conversation");
    watcher.close();
  });

  it("deliver metrics later for metrics:async, through the room and the cache", async () => {
    const watcher = await watch("stack-async");
    const answer = (await (
      await post("/chat", { message: "Hi", conversationId: "stack-async", metrics: "async" })
    ).json()) as ChatAnswer;
    expect(answer).toMatchObject({ metrics: null, metricsStatus: "pending" });
    await waitFor(() => metricsFor(watcher, answer.id).length === 1, "the async metrics message");
    await expect
      .poll(async () => (await fetch(`${stack.worker.url}/metrics/${answer.id}`)).status, {
        timeout: 20_000,
        interval: 200,
      })
      .toBe(200);
    watcher.close();
  });
});

describe("a client that disconnects mid-stream", () => {
  it("leaves its conversation's room told that the answer was cancelled, not generating forever", async () => {
    const conversationId = "stack-cancelled";
    const watcher = await watch(conversationId);
    const messageId = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${stack.worker.url}/chat`, {
        method: "POST",
        headers: { "content-type": "application/json" },
      });
      req.on("error", () => undefined);
      req.on("response", (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          const started = /event: start\ndata: (.*)\n/.exec(text)?.[1];
          if (started && text.includes("event: delta")) {
            req.destroy();
            resolve((JSON.parse(started) as { id: string }).id);
          }
        });
        response.on("error", () => undefined);
      });
      req.end(
        JSON.stringify({
          message: "Hi",
          stream: true,
          metrics: "off",
          conversationId,
          provider: "groq",
          model: "hang-after-first:stack-cancelled",
        }),
      );
      setTimeout(() => reject(new Error("no delta arrived")), 10_000);
    });
    const states = () =>
      watcher.messages.flatMap((message) =>
        message.type === "status" && "state" in message.data && message.data.messageId === messageId
          ? [message.data.state]
          : [],
      );
    await waitFor(() => states().includes("cancelled"), "the cancelled status");
    expect(states()).toEqual(["generating", "cancelled"]);
    watcher.close();
  });
});

describe("when a part fails", () => {
  it("keeps answering while Redis is down, reports the cache degraded, and stores what it answered once Redis is back", async () => {
    await stack.redis.redisServer.stop();
    const during = await post("/chat", { message: "Still there?", metrics: "off" });
    expect(during.status).toBe(200);
    const answeredDuring = (await during.json()) as ChatAnswer;
    // /health's probes are reused for a few seconds: the outage shows once they are asked again.
    await expect.poll(() => componentStatus("cache"), { timeout: 15_000, interval: 500 }).toBe("degraded");

    await stack.redis.redisServer.restart();
    // Right after the restart: the write after the answer retries until Redis takes it.
    const answer = (await (await post("/chat", { message: "Back?", metrics: "off" })).json()) as ChatAnswer;
    await expect
      .poll(async () => (await fetch(`${stack.worker.url}/messages/${answer.id}`)).status, {
        timeout: 20_000,
        interval: 250,
      })
      .toBe(200);
    // The answer given while Redis was down was not dropped: its write kept retrying.
    await expect
      .poll(async () => (await fetch(`${stack.worker.url}/messages/${answeredDuring.id}`)).status, {
        timeout: 20_000,
        interval: 250,
      })
      .toBe(200);
  });

  it("keeps answering with the room server stopped, and reports rooms degraded", async () => {
    await stack.rooms.stop();
    const response = await post("/chat", { message: "Anyone watching?", conversationId: "stack-no-room" });
    expect(response.status).toBe(200);
    // /health's probes are reused for a few seconds: the stop shows once they are asked again.
    await expect.poll(() => componentStatus("rooms"), { timeout: 15_000, interval: 500 }).toBe("degraded");
  });
});
