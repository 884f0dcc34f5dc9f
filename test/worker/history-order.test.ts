import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import app from "../../src/index";
import { call, heldRedis, holdingRedis, makeEnv, releaseRedis, uniqueKey } from "./support";

describe("conversation history on real Redis", () => {
  it("stays in turn order when an earlier exchange's write lands after a later one (a retried write)", async () => {
    const env = makeEnv({ ...holdingRedis(), CACHE_TIMEOUT_MS: "300" });
    const conversationId = uniqueKey("conv-order");
    const key = uniqueKey("k").replaceAll("-", "");
    const ctx = createExecutionContext();
    const first = await app.fetch(
      new Request("http://nexus.test/chat", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: `hold-${key} first question`, conversationId, metrics: "off" }),
      }),
      env,
      ctx,
    );
    expect(first.status).toBe(200);
    // The first exchange's write is held (its tries time out and are retried) while the second lands.
    await vi.waitFor(async () => expect(await heldRedis(key)).toBeGreaterThan(0), { timeout: 10_000 });
    const second = await call(
      "/chat",
      { method: "POST", json: { message: "second question", conversationId, metrics: "off" } },
      env,
    );
    expect(second.status).toBe(200);
    await releaseRedis(key);
    await waitOnExecutionContext(ctx);

    const history = (await (await call(`/conversations/${conversationId}`, {}, env)).json()) as {
      turns: Array<{ role: string; content: string }>;
    };
    expect(history.turns.map((turn) => `${turn.role}: ${turn.content}`)).toEqual([
      `user: hold-${key} first question`,
      "assistant: Hello from the fake model.",
      "user: second question",
      "assistant: Hello from the fake model.",
    ]);
  }, 30_000);
});
