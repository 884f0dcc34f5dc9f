import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { type EventStream, eventStream } from "./event-stream";

function appWith(produce: (events: EventStream) => Promise<void>) {
  const app = new Hono();
  app.get("/", (c) => {
    c.header("X-Kept", "yes");
    return eventStream(c, produce);
  });
  return app;
}

describe("eventStream", () => {
  it("answers text/event-stream with the headers set before, the writes in order, then closes", async () => {
    const response = await appWith(async (events) => {
      events.write("event: a\ndata: 1\n\n");
      await Promise.resolve();
      events.write("event: b\ndata: 2\n\n");
    }).request("/");
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("x-kept")).toBe("yes");
    expect(await response.text()).toBe("event: a\ndata: 1\n\nevent: b\ndata: 2\n\n");
  });

  it("tells the producer when the client goes away, and drops later writes", async () => {
    let resume = () => {};
    const paused = new Promise<void>((resolve) => (resume = resolve));
    let seen: EventStream | undefined;
    let abortedCalls = 0;
    let wroteAfterAbort = false;
    const response = await appWith(async (events) => {
      seen = events;
      events.onAbort(() => abortedCalls++);
      events.write("event: a\ndata: 1\n\n");
      await paused;
      events.write("event: b\ndata: 2\n\n");
      wroteAfterAbort = true;
    }).request("/");
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain("event: a");
    await reader?.cancel();
    expect(seen?.aborted).toBe(true);
    expect(abortedCalls).toBe(1);
    resume();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(wroteAfterAbort).toBe(true);
    expect(abortedCalls).toBe(1);
  });

  it("errors the stream when the producer throws, so the client sees a broken answer, not a clean end", async () => {
    const response = await appWith(async (events) => {
      events.write("event: a\ndata: 1\n\n");
      throw new Error("producer failed");
    }).request("/");
    await expect(response.text()).rejects.toThrow();
  });
});
