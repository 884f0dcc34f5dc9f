import { describe, expect, it } from "vitest";
import { call, holdingRedis, makeEnv, seenByRedis } from "./support";

/** A client address of its own per test, so the rate-limit call of each chat can be told apart. */
const addressFor = (seed: number) => `10.26.${Math.floor(Math.random() * 250)}.${seed}`;

describe.each(["off", "sync"] as const)("the Redis REST calls of a new chat, metrics %s", (metrics) => {
  it("are its rate-limit check, then one pipeline after the answer with its message, history and usage", async () => {
    const env = makeEnv(holdingRedis());
    const address = addressFor(metrics === "off" ? 1 : 2);
    const chat = await call(
      "/chat",
      { method: "POST", json: { message: "Hi", metrics }, headers: { "cf-connecting-ip": address } },
      env,
    );
    expect(chat.status).toBe(200);
    const { id, conversationId } = (await chat.json()) as { id: string; conversationId: string };

    const limit = await seenByRedis(`ip:${address}`);
    expect(limit).toHaveLength(1);
    expect(limit[0]?.body).not.toContain(id);

    // `call` waited for the writes after the answer. A retried write could add requests; the first one tells.
    const [first] = await seenByRedis(id);
    expect(first?.path).toBe("/pipeline");
    expect(first?.body).toContain(`nn:msg:${id}`);
    expect(first?.body).toContain(`nn:history:${conversationId}`);
    expect(first?.body).toContain(`usage:once:${id}`);
  });
});
