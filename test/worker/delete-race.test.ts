import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import app from "../../src/index";
import { call, calls, fakeLlmUrl, makeEnv, realRedis, uniqueKey } from "./support";

/**
 * A DELETE that arrives while the previous exchange is still being stored after its answer (in
 * `waitUntil`): here the metrics of a `metrics: "async"` chat, held at the fake Neo until the DELETE
 * has answered. What the DELETE said must stay true once the late write has run.
 */
describe.each([
  ["the in-isolate store", () => ({})],
  ["real Redis through the REST bridge", realRedis],
])("a DELETE racing the background writes, on %s", (_name, storeVars) => {
  it("answers 200, and the late metrics are not stored afterwards", { timeout: 20_000 }, async () => {
    const hold = uniqueKey("neo-hold");
    const env = makeEnv({
      ...storeVars(),
      GROQ_MODEL: `echo:${hold}`,
      NEO_API_KEY: "neo-test-key-0000000000000",
      NEO_API_URL: `${fakeLlmUrl()}/neo`,
    });
    const ctx = createExecutionContext();
    const chat = await app.fetch(
      new Request("http://nexus.test/chat", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: `${hold} is the first word of this reply`, metrics: "async" }),
      }),
      env,
      ctx,
    );
    expect(chat.status).toBe(200);
    const { id, conversationId } = (await chat.json()) as { id: string; conversationId: string };
    // The analysis has started (and is held): the exchange is stored, its metrics are not yet.
    await vi.waitFor(async () => expect((await calls(hold)).calls).toBeGreaterThanOrEqual(1), {
      timeout: 10_000,
    });
    expect((await call(`/messages/${id}`, {}, env)).status).toBe(200);

    const deleted = await call(`/conversations/${conversationId}`, { method: "DELETE" }, env);
    expect(deleted.status).toBe(200);
    await fetch(`${fakeLlmUrl()}/__release/${hold}`, { method: "POST" });
    await waitOnExecutionContext(ctx);

    for (const path of [`/metrics/${id}`, `/messages/${id}`, `/conversations/${conversationId}`])
      expect((await call(path, {}, env)).status, path).toBe(404);
  });
});
