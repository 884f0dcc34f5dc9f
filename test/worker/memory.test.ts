import { describe, expect, it } from "vitest";
import { call, makeEnv } from "./support";

describe("memory and the semantic cache when they are not configured", () => {
  it("/health reports the vectors component off, and the service is not degraded by it", async () => {
    const health = (await (await call("/health")).json()) as {
      components: { vectors: { status: string; detail?: string } };
    };
    expect(health.components.vectors).toEqual({ status: "off" });
  });

  it("stays off with an embedder but no VECTOR_DB binding", async () => {
    const env = makeEnv({ EMBEDDING_PROVIDER: "ollama", EMBEDDING_BASE_URL: "http://127.0.0.1:9" });
    const health = (await (await call("/health", {}, env)).json()) as {
      components: { vectors: { status: string } };
    };
    expect(health.components.vectors.status).toBe("off");
  });

  it("answers search with 503 in the error envelope", async () => {
    const response = await call("/conversations/conv-1/search?q=hello");
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "error", error: "service_unavailable" });
  });

  it("still deletes a conversation: what lives in the cache goes, and an unknown id is a 404", async () => {
    const chat = await call("/chat", { method: "POST", json: { message: "hi", metrics: "sync" } });
    const { id, conversationId } = (await chat.json()) as { id: string; conversationId: string };
    const deleted = await call(`/conversations/${conversationId}`, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ id: conversationId, deleted: true, messages: 1 });
    for (const path of [`/conversations/${conversationId}`, `/messages/${id}`, `/metrics/${id}`])
      expect((await call(path)).status, path).toBe(404);
    const unknown = await call("/conversations/conv-never-stored-1", { method: "DELETE" });
    expect(unknown.status).toBe(404);
  });

  it("validates the search query", async () => {
    const response = await call("/conversations/conv-1/search?q=");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: "error", error: "invalid_request" });
  });

  it("accepts a chat's cache setting, refuses an unknown one, and answers without a cache field", async () => {
    const answer = await call("/chat", { method: "POST", json: { message: "hi", cache: "off" } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).not.toHaveProperty("cache");
    const refused = await call("/chat", { method: "POST", json: { message: "hi", cache: "always" } });
    expect(refused.status).toBe(400);
  });

  it("switches memory off for a malformed variable, naming it in /health, never its value", async () => {
    const response = await call("/health", {}, makeEnv({ SEMANTIC_CACHE_THRESHOLD: "very-similar" }));
    const text = await response.text();
    expect(response.status).toBe(200);
    const health = JSON.parse(text) as {
      status: string;
      components: { vectors: { status: string; detail?: string } };
      switchedOff: Array<{ part: string; reason: string }>;
    };
    expect(health.status).toBe("degraded");
    expect(health.components.vectors).toMatchObject({ status: "off" });
    expect(health.components.vectors.detail).toContain("SEMANTIC_CACHE_THRESHOLD");
    expect(health.switchedOff).toEqual([
      { part: "memory", reason: expect.stringContaining("SEMANTIC_CACHE_THRESHOLD") },
    ]);
    expect(text).not.toContain("very-similar");
  });
});
