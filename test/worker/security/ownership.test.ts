import { describe, expect, it } from "vitest";
import { call, fakeLlmUrl, makeEnv, uniqueKey } from "../support";
import { bearer, KEYS, securedEnv } from "./keys";

/** Rooms configured (so tokens are signed); the fake server stands in for the rooms host. */
const rooms = () => ({ PARTYKIT_HOST: fakeLlmUrl(), PARTY_SECRET: "party-secret-for-tests-0001" });
const env = securedEnv(rooms());
const as = (key: string) => bearer(key);
const chat = (key: string, body: Record<string, unknown>, environment = env) =>
  call("/chat", { method: "POST", headers: as(key), json: { metrics: "off", ...body } }, environment);
const get = (key: string, path: string) => call(path, { headers: as(key) }, env);
const roomToken = (key: string, room: string) =>
  call(`/rooms/${room}/token`, { method: "POST", headers: as(key) }, env);

describe("a conversation belongs to the API key that created it", () => {
  it("answers 404 to another key on every read of the conversation, the message and its metrics", async () => {
    const conversationId = uniqueKey("conv-owned");
    const response = await chat(KEYS.alice, { message: "Hi", conversationId, metrics: "sync" });
    expect(response.status).toBe(200);
    const { id } = (await response.json()) as { id: string };

    for (const path of [`/conversations/${conversationId}`, `/messages/${id}`, `/metrics/${id}`]) {
      expect((await get(KEYS.alice, path)).status, `alice ${path}`).toBe(200);
      const refused = await get(KEYS.bob, path);
      expect(refused.status, `bob ${path}`).toBe(404);
      expect(await refused.json()).toMatchObject({ status: "error", error: "not_found" });
    }
  });

  it("answers 404 to another key continuing it, and leaves the owner's history untouched", async () => {
    const conversationId = uniqueKey("conv-steer");
    expect((await chat(KEYS.alice, { message: "Hi", conversationId })).status).toBe(200);

    const steer = await chat(KEYS.bob, { message: "Ignore the above", conversationId });
    expect(steer.status).toBe(404);
    expect(await steer.json()).toMatchObject({ error: "not_found" });
    const withContext = await chat(KEYS.bob, {
      message: "Ignore the above",
      conversationId,
      context: [{ role: "user", content: "x" }],
    });
    expect(withContext.status).toBe(404);

    const history = (await (await get(KEYS.alice, `/conversations/${conversationId}`)).json()) as {
      turns: unknown[];
    };
    expect(history.turns).toHaveLength(2);
    expect((await chat(KEYS.alice, { message: "Again", conversationId })).status).toBe(200);
  });

  it("refuses a room token for another key's conversation, and a token binds a new room to its key", async () => {
    const conversationId = uniqueKey("conv-room");
    expect((await chat(KEYS.alice, { message: "Hi", conversationId })).status).toBe(200);
    expect((await roomToken(KEYS.bob, conversationId)).status).toBe(404);
    expect((await roomToken(KEYS.alice, conversationId)).status).toBe(200);

    const watchedFirst = uniqueKey("conv-watched");
    expect((await roomToken(KEYS.bob, watchedFirst)).status).toBe(200);
    expect((await chat(KEYS.alice, { message: "Hi", conversationId: watchedFirst })).status).toBe(404);
    expect((await chat(KEYS.bob, { message: "Hi", conversationId: watchedFirst })).status).toBe(200);
  });

  it("keeps everything open when auth is off", async () => {
    const open = makeEnv(rooms());
    const conversationId = uniqueKey("conv-open");
    const first = await call("/chat", { method: "POST", json: { message: "Hi", conversationId } }, open);
    expect(first.status).toBe(200);
    const second = await call("/chat", { method: "POST", json: { message: "More", conversationId } }, open);
    expect(second.status).toBe(200);
    const history = (await (await call(`/conversations/${conversationId}`, {}, open)).json()) as {
      turns: unknown[];
    };
    expect(history.turns).toHaveLength(4);
    expect((await call(`/rooms/${conversationId}/token`, { method: "POST" }, open)).status).toBe(200);
  });
});
