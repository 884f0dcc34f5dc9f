import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createNexusClient } from "../../../src/client";
import app from "../../../src/index";
import { call, fakeLlmUrl, makeEnv, realRedis, uniqueKey } from "../support";
import { bearer, type Envelope, KEYS, securedEnv } from "./keys";

/**
 * Who may read, continue, watch and delete a conversation, run on both stores the worker can have:
 * the in-isolate one and a real redis-server behind the Upstash-compatible REST bridge.
 */
const stores: Array<[string, () => Record<string, string>]> = [
  ["the in-isolate store", () => ({})],
  ["real Redis through the REST bridge", realRedis],
];

/** Rooms configured (so tokens are signed); the fake server stands in for the rooms host. */
const rooms = () => ({ PARTYKIT_HOST: fakeLlmUrl(), PARTY_SECRET: "party-secret-for-tests-0001" });
/** A rooms host that refuses connections: every room call fails. */
const roomsDown = () => ({
  PARTYKIT_HOST: "http://127.0.0.1:9",
  PARTY_SECRET: "party-secret-for-tests-0001",
});

interface ChatAnswer {
  id: string;
  conversationId: string;
}

describe.each(stores)("ownership on %s", (_name, storeVars) => {
  /** Tokens work here; deleting needs a rooms host that clears (below, none or one that is down). */
  const env = securedEnv({ ...storeVars(), ...rooms() });
  const plain = securedEnv(storeVars());
  const open = makeEnv({ ...storeVars(), ...rooms() });
  const as = (key: string) => bearer(key);
  const chat = (key: string, body: Record<string, unknown>, environment = env) =>
    call("/chat", { method: "POST", headers: as(key), json: { metrics: "off", ...body } }, environment);
  const get = (key: string, path: string, environment = env) => call(path, { headers: as(key) }, environment);
  const remove = (key: string, id: string, environment = plain) =>
    call(`/conversations/${id}`, { method: "DELETE", headers: as(key) }, environment);
  const roomToken = (key: string, room: string) =>
    call(`/rooms/${room}/token`, { method: "POST", headers: as(key) }, env);
  const issue = async (key: string) => {
    const response = await call("/conversations", { method: "POST", headers: as(key) }, env);
    expect(response.status).toBe(200);
    return ((await response.json()) as { id: string }).id;
  };
  const started = async (key: string, body: Record<string, unknown> = {}) => {
    const response = await chat(key, { message: "Hi", metrics: "sync", ...body });
    expect(response.status).toBe(200);
    return (await response.json()) as ChatAnswer;
  };
  /** A 404 body with the id taken out, to compare answers about different ids. */
  const refusal = async (response: Response, id: string) => {
    expect(response.status).toBe(404);
    const body = (await response.json()) as Envelope;
    return { ...body, details: body.details.replaceAll(id, "<id>") };
  };

  it("answers 404 to another key on every read of the conversation, the message and its metrics", async () => {
    const { id, conversationId } = await started(KEYS.alice);
    for (const path of [`/conversations/${conversationId}`, `/messages/${id}`, `/metrics/${id}`]) {
      expect((await get(KEYS.alice, path)).status, `alice ${path}`).toBe(200);
      const refused = await get(KEYS.bob, path);
      expect(refused.status, `bob ${path}`).toBe(404);
      expect(await refused.json()).toMatchObject({ status: "error", error: "not_found" });
    }
  });

  it("answers 404 to another key continuing it, and leaves the owner's history untouched", async () => {
    const { conversationId } = await started(KEYS.alice);
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

  it("issues conversation ids: one never issued cannot be squatted, through a chat or a room token", async () => {
    const guessable = uniqueKey("conv-42");
    expect((await roomToken(KEYS.bob, guessable)).status).toBe(404);
    expect((await chat(KEYS.bob, { message: "Hi", conversationId: guessable })).status).toBe(404);
    expect((await chat(KEYS.alice, { message: "Hi", conversationId: guessable })).status).toBe(404);

    const issued = await issue(KEYS.alice);
    expect(issued).toMatch(/^conv_/);
    expect((await roomToken(KEYS.bob, issued)).status).toBe(404);
    expect((await chat(KEYS.bob, { message: "Hi", conversationId: issued })).status).toBe(404);
    expect((await roomToken(KEYS.alice, issued)).status).toBe(200);
    expect((await chat(KEYS.alice, { message: "Hi", conversationId: issued })).status).toBe(200);
    expect((await roomToken(KEYS.alice, issued)).status).toBe(200);
  });

  it("gives the typed client an issued id to watch and chat in", async () => {
    const client = createNexusClient({
      baseUrl: "http://nexus.test",
      apiKey: KEYS.alice,
      fetch: async (input, init) => app.fetch(new Request(input, init), env, createExecutionContext()),
    });
    const conversationId = await client.newConversation();
    expect((await client.roomToken(conversationId)).room).toBe(conversationId);
    const answer = await client.chat({ message: "Hi", conversationId, metrics: "off" });
    expect(answer.conversationId).toBe(conversationId);
    expect((await roomToken(KEYS.bob, conversationId)).status).toBe(404);
  });

  it("never hands history written with auth off to a key", async () => {
    const conversationId = uniqueKey("conv-open");
    const first = await call(
      "/chat",
      { method: "POST", json: { message: "secret plans", conversationId } },
      open,
    );
    expect(first.status).toBe(200);

    const continued = await chat(KEYS.alice, { message: "What did I say?", conversationId });
    expect(continued.status).toBe(404);
    expect((await get(KEYS.alice, `/conversations/${conversationId}`)).status).toBe(404);
    expect((await roomToken(KEYS.alice, conversationId)).status).toBe(404);
    expect((await remove(KEYS.alice, conversationId)).status).toBe(404);
    const history = (await (await call(`/conversations/${conversationId}`, {}, open)).json()) as {
      turns: Array<{ content: string }>;
    };
    expect(history.turns[0]?.content).toBe("secret plans");
  });

  it("lets only the owner delete, with the same 404 for another key's id and an id that never existed", async () => {
    const { id, conversationId } = await started(KEYS.alice);
    expect((await chat(KEYS.alice, { message: "More", conversationId })).status).toBe(200);

    const missing = uniqueKey("conv-missing");
    expect(await refusal(await remove(KEYS.bob, conversationId), conversationId)).toEqual(
      await refusal(await remove(KEYS.bob, missing), missing),
    );
    expect(await refusal(await get(KEYS.bob, `/conversations/${conversationId}`), conversationId)).toEqual(
      await refusal(await get(KEYS.bob, `/conversations/${missing}`), missing),
    );
    expect(
      await refusal(await get(KEYS.bob, `/conversations/${conversationId}/search?q=hi`), conversationId),
    ).toEqual(await refusal(await get(KEYS.bob, `/conversations/${missing}/search?q=hi`), missing));
    // The owner gets as far as the memory, which this server does not have.
    expect((await get(KEYS.alice, `/conversations/${conversationId}/search?q=hi`)).status).toBe(503);
    const history = (await (await get(KEYS.alice, `/conversations/${conversationId}`)).json()) as {
      turns: unknown[];
    };
    expect(history.turns).toHaveLength(4);
    expect((await get(KEYS.alice, `/messages/${id}`)).status).toBe(200);
  });

  it("deletes a conversation without memory configured: history, messages and metrics; a repeat answers the same", async () => {
    const { id, conversationId } = await started(KEYS.alice);
    const second = (await (
      await chat(KEYS.alice, { message: "More", conversationId, metrics: "sync" })
    ).json()) as ChatAnswer;

    const deleted = await remove(KEYS.alice, conversationId);
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ id: conversationId, deleted: true, messages: 2 });
    for (const path of [
      `/conversations/${conversationId}`,
      `/messages/${id}`,
      `/metrics/${id}`,
      `/messages/${second.id}`,
      `/metrics/${second.id}`,
    ])
      expect((await get(KEYS.alice, path)).status, path).toBe(404);

    const again = await remove(KEYS.alice, conversationId);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: conversationId, deleted: true });
    expect((await remove(KEYS.bob, conversationId)).status).toBe(404);
    expect((await chat(KEYS.alice, { message: "Back?", conversationId })).status).toBe(404);
    expect((await roomToken(KEYS.bob, conversationId)).status).toBe(404);
  });

  it("deletes a /v1 conversation (X-Conversation-Id) like any other", async () => {
    const completion = (conversationId?: string) =>
      call(
        "/v1/chat/completions",
        {
          method: "POST",
          headers: {
            ...as(KEYS.alice),
            "x-metrics": "off",
            ...(conversationId ? { "x-conversation-id": conversationId } : {}),
          },
          json: { model: "groq/ok:v1-delete", messages: [{ role: "user", content: "Hi" }] },
        },
        plain,
      );
    const first = await completion();
    expect(first.status).toBe(200);
    const { neon_nexus } = (await first.json()) as {
      neon_nexus: { conversationId: string; messageId: string };
    };
    const { conversationId, messageId } = neon_nexus;
    expect((await completion(conversationId)).status).toBe(200);
    expect((await get(KEYS.alice, `/conversations/${conversationId}`, plain)).status).toBe(200);

    const deleted = await remove(KEYS.alice, conversationId);
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ id: conversationId, deleted: true, messages: 2 });
    expect((await get(KEYS.alice, `/conversations/${conversationId}`, plain)).status).toBe(404);
    expect((await get(KEYS.alice, `/messages/${messageId}`, plain)).status).toBe(404);
    expect((await completion(conversationId)).status).toBe(404);
  });

  it("keeps the owner record until everything else is gone: a failed DELETE can be retried, and nobody can take the id meanwhile", async () => {
    const { id, conversationId } = await started(KEYS.alice);
    const down = securedEnv({ ...storeVars(), ...roomsDown() });

    const failed = await remove(KEYS.alice, conversationId, down);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ status: "error", error: "service_unavailable" });
    expect((await get(KEYS.alice, `/messages/${id}`)).status).toBe(404);
    expect((await roomToken(KEYS.bob, conversationId)).status).toBe(404);
    expect((await chat(KEYS.bob, { message: "Mine now", conversationId })).status).toBe(404);
    expect((await remove(KEYS.bob, conversationId, down)).status).toBe(404);
    expect((await remove(KEYS.alice, conversationId, down)).status).toBe(503);

    const retried = await remove(KEYS.alice, conversationId);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ id: conversationId, deleted: true });
    expect((await roomToken(KEYS.alice, conversationId)).status).toBe(404);
  });

  it("keeps everything open when auth is off, deletion included", async () => {
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

    const openWithoutRooms = makeEnv(storeVars());
    const deleted = await call(`/conversations/${conversationId}`, { method: "DELETE" }, openWithoutRooms);
    expect(deleted.status).toBe(200);
    expect((await call(`/conversations/${conversationId}`, {}, open)).status).toBe(404);
    const never = await call(
      `/conversations/${uniqueKey("conv-none")}`,
      { method: "DELETE" },
      openWithoutRooms,
    );
    expect(never.status).toBe(404);
  });
});
