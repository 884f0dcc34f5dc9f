import { describe, expect, it } from "vitest";
import { call } from "./support";

const encoder = new TextEncoder();

/** A body that sends `prefix` and then fails, as a client that went away mid-upload does. */
function cutShort(prefix: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(encoder.encode(prefix));
      controller.error(new Error("Network connection lost."));
    },
  });
}

describe("a request body that ends early", () => {
  it.each([
    ["/chat", '{"message":"Hello the'],
    ["/analyze", '{"text":"A text that never'],
  ])("on %s is a 400 in the envelope, not a 500", async (path, prefix) => {
    const response = await call(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: cutShort(prefix),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      status: "error",
      error: "invalid_request",
      details: "The request body ended before it was complete",
    });
  });

  it("is a 400 with a Content-Length the body never reaches", async () => {
    const response = await call("/chat", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": "4096" },
      body: cutShort('{"message":"Hi"'),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: "error" });
  });

  it("still refuses a chunked body past the limit with 413", async () => {
    const big = encoder.encode(`{"text":"${"x".repeat(500_000)}"}`);
    const response = await call("/analyze", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(big);
          controller.close();
        },
      }),
    });
    expect(response.status).toBe(413);
  });
});
