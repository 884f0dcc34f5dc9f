import { describe, expect, it } from "vitest";
import { call } from "../../test/worker/support";

const analyzeAs = (contentType: string) =>
  call("/analyze", {
    method: "POST",
    headers: { "content-type": contentType },
    body: JSON.stringify({ text: "Hello there, this is a text written by hand." }),
  });

describe("JSON bodies", () => {
  it("refuses a body not declared as JSON with 415", async () => {
    const response = await analyzeAs("text/plain");
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: "unsupported_media_type" });
  });

  it("accepts a structured JSON media type", async () => {
    expect((await analyzeAs("application/vnd.example+json; charset=utf-8")).status).toBe(200);
  });

  it("refuses a body over the contract's limit with 413, with or without Content-Length", async () => {
    const body = JSON.stringify({ message: "x".repeat(600 * 1024) });
    const declared = await call("/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(declared.status).toBe(413);
    const streamed = await call("/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Blob([body]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ error: "payload_too_large" });
  });
});
