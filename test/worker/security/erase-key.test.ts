import { describe, expect, it } from "vitest";
import { call, realRedis, uniqueKey } from "../support";
import { bearer, KEYS, securedEnv } from "./keys";

interface ChatAnswer {
  id: string;
  conversationId: string;
}

describe.each([
  ["the in-isolate store", () => ({})],
  ["real Redis through the REST bridge", realRedis],
])("erasing everything of one key name, on %s", (_name, storeVars) => {
  // Its own key name: the Redis store is shared with the other suites, whose "alice" must stay.
  const departing = uniqueKey("departing");
  const env = securedEnv({ ...storeVars(), API_KEYS: `${departing}:${KEYS.alice},bob:${KEYS.bob}` });
  const chat = async (key: string, body: Record<string, unknown> = {}) => {
    const response = await call(
      "/chat",
      { method: "POST", headers: bearer(key), json: { message: "Hi", metrics: "sync", ...body } },
      env,
    );
    expect(response.status).toBe(200);
    return (await response.json()) as ChatAnswer;
  };
  const get = (key: string, path: string) => call(path, { headers: bearer(key) }, env);
  const erase = (key: string, name: string) =>
    call(`/keys/${name}/data`, { method: "DELETE", headers: bearer(key) }, env);

  it("removes every conversation, message and metric of the key, leaves other keys alone, and is audited", async () => {
    const first = await chat(KEYS.alice);
    const second = await chat(KEYS.alice, { conversationId: first.conversationId });
    const other = await chat(KEYS.alice);
    const v1 = await call(
      "/v1/chat/completions",
      {
        method: "POST",
        headers: { ...bearer(KEYS.alice), "x-metrics": "off" },
        json: { model: "groq/ok:erase", messages: [{ role: "user", content: "Hi" }] },
      },
      env,
    );
    const { neon_nexus } = (await v1.json()) as { neon_nexus: { conversationId: string; messageId: string } };
    const issued = (await (
      await call("/conversations", { method: "POST", headers: bearer(KEYS.alice) }, env)
    ).json()) as {
      id: string;
    };
    const bobs = await chat(KEYS.bob);

    expect((await erase(KEYS.alice, departing)).status).toBe(403);
    const erased = await erase(KEYS.admin, departing);
    expect(erased.status).toBe(200);
    expect(await erased.json()).toEqual({
      keyName: departing,
      conversations: 4,
      messages: 4,
      remaining: false,
    });

    const gone = [
      `/conversations/${first.conversationId}`,
      `/conversations/${other.conversationId}`,
      `/conversations/${neon_nexus.conversationId}`,
      ...[first.id, second.id, other.id].flatMap((id) => [`/messages/${id}`, `/metrics/${id}`]),
      `/messages/${neon_nexus.messageId}`,
    ];
    for (const path of gone) expect((await get(KEYS.alice, path)).status, path).toBe(404);
    const continued = await call(
      "/chat",
      { method: "POST", headers: bearer(KEYS.alice), json: { message: "Hi", conversationId: issued.id } },
      env,
    );
    expect(continued.status).toBe(404);
    expect((await get(KEYS.bob, `/conversations/${bobs.conversationId}`)).status).toBe(200);
    expect((await get(KEYS.bob, `/messages/${bobs.id}`)).status).toBe(200);

    const again = await erase(KEYS.admin, departing);
    expect(await again.json()).toEqual({
      keyName: departing,
      conversations: 0,
      messages: 0,
      remaining: false,
    });

    const audit = (await (await get(KEYS.admin, "/audit?limit=50")).json()) as {
      events: Array<Record<string, unknown>>;
    };
    expect(audit.events).toContainEqual(
      expect.objectContaining({ type: "key_erased", target: departing, keyName: "ops", method: "DELETE" }),
    );
  });

  it("erases a bounded batch per call and says when more is left", async () => {
    const many = uniqueKey("many");
    const manyEnv = securedEnv({ ...storeVars(), API_KEYS: `${many}:${KEYS.alice}` });
    for (let index = 0; index < 21; index++) {
      const issued = await call("/conversations", { method: "POST", headers: bearer(KEYS.alice) }, manyEnv);
      expect(issued.status).toBe(200);
    }
    const first = await call(
      `/keys/${many}/data`,
      { method: "DELETE", headers: bearer(KEYS.admin) },
      manyEnv,
    );
    expect(await first.json()).toEqual({ keyName: many, conversations: 20, messages: 0, remaining: true });
    const second = await call(
      `/keys/${many}/data`,
      { method: "DELETE", headers: bearer(KEYS.admin) },
      manyEnv,
    );
    expect(await second.json()).toEqual({ keyName: many, conversations: 1, messages: 0, remaining: false });
  });

  it("is declared in the OpenAPI document, admin only", async () => {
    const document = (await (await call("/openapi.json", {}, env)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const route = document.paths["/keys/{name}/data"]?.delete;
    expect(route).toBeDefined();
    expect(Object.keys(route?.responses ?? {})).toEqual(expect.arrayContaining(["200", "401", "403"]));
  });
});
