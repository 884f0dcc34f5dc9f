import { describe, expect, it } from "vitest";
import { call, makeEnv } from "./support";

const post = (body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }) =>
  call("/chat", { method: "POST", body, headers });

describe("the HTTP contract around /chat", () => {
  it("answers 400 invalid_json for a body that is not JSON", async () => {
    const response = await post("{not json");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      status: "error",
      error: "invalid_json",
      details: expect.any(String),
    });
  });

  it.each([
    [{}, "message"],
    [{ message: "" }, "message"],
    [{ message: "x".repeat(32_001) }, "message"],
    [{ message: "hi", temperature: 3 }, "temperature"],
    [{ message: "hi", maxTokens: 0 }, "maxTokens"],
    [{ message: "hi", maxTokens: 8193 }, "maxTokens"],
    [{ message: "hi", conversationId: "has spaces" }, "conversationId"],
    [{ message: "hi", provider: "bard" }, "provider"],
    [
      { message: "hi", context: Array.from({ length: 101 }, () => ({ role: "user", content: "x" })) },
      "context",
    ],
    [{ message: "hi", context: [{ role: "tool", content: "x" }] }, "context.0.role"],
    [{ message: "hi", metrics: "later" }, "metrics"],
    [{ message: "hi", surprise: true }, "body"],
  ])("answers 400 naming the field for %j", async (body, field) => {
    const response = await post(JSON.stringify(body));
    expect(response.status).toBe(400);
    const envelope = (await response.json()) as { error: string; details: string };
    expect(envelope.error).toBe("invalid_request");
    expect(envelope.details).toContain(field);
  });

  it("answers 400 for a provider that is not configured here", async () => {
    const response = await post(JSON.stringify({ message: "hi", provider: "openai" }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { details: string }).details).toContain("openai");
  });

  it("answers 413 for a body over the limit", async () => {
    const response = await post(JSON.stringify({ message: "x".repeat(600 * 1024) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ status: "error", error: "payload_too_large" });
  });

  it("answers 415 for a body that is not declared JSON", async () => {
    const response = await post("message=hi", { "content-type": "application/x-www-form-urlencoded" });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: "unsupported_media_type" });
  });

  it("answers 404 in the envelope for an unknown route", async () => {
    const response = await call("/nope");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ status: "error", error: "not_found" });
  });

  it("answers 405 with Allow for GET /chat", async () => {
    const response = await call("/chat");
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toContain("POST");
    expect(await response.json()).toMatchObject({ status: "error", error: "method_not_allowed" });
  });

  it("echoes a valid X-Request-Id and replaces a hostile one", async () => {
    const kept = await call("/health", { headers: { "x-request-id": "abc-123" } });
    expect(kept.headers.get("x-request-id")).toBe("abc-123");
    const replaced = await call("/health", { headers: { "x-request-id": "<script>" } });
    expect(replaced.headers.get("x-request-id")).not.toBe("<script>");
  });

  it("names a malformed variable in a 500 without showing its value", async () => {
    const response = await call("/health", {}, makeEnv({ MESSAGES_TTL_SECONDS: "soon-ish" }));
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: string; details: string };
    expect(body.error).toBe("invalid_configuration");
    expect(body.details).toContain("MESSAGES_TTL_SECONDS");
    expect(body.details).not.toContain("soon-ish");
  });
});

describe("GET /health and GET /models", () => {
  it("reports components and stays up with a provider configured", async () => {
    const response = await call("/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: expect.stringMatching(/^(ok|degraded)$/),
      version: expect.any(String),
      components: { providers: { status: "ok", configured: 1 }, analyzer: { primary: "local" } },
    });
  });

  it("is down (503) with no provider", async () => {
    const response = await call("/health", {}, { AUTH_DISABLED: "true" });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "down" });
  });

  it("lists the models of every configured provider", async () => {
    const response = await call("/models", {}, makeEnv({ LLM_PROVIDERS: "groq,ollama" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: [
        { id: "openai/gpt-oss-20b", provider: "groq" },
        { id: "llama3.2:latest", provider: "ollama" },
      ],
      errors: [],
    });
  });
});
