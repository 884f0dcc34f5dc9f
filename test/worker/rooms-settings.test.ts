import { describe, expect, it } from "vitest";
import { verifyRoomToken } from "../../src/rooms/token";
import { bearer, KEYS, securedEnv } from "./security/keys";
import { call, fakeLlmUrl, makeEnv } from "./support";

const PARTY_SECRET = "party-secret-for-settings-01";

describe("rooms settings", () => {
  it("takes a bare PARTYKIT_HOST, as PartyKit writes it, instead of failing every request", async () => {
    const bareHost = new URL(fakeLlmUrl()).host;
    const env = makeEnv({ PARTYKIT_HOST: bareHost, PARTY_SECRET });
    expect((await call("/health", {}, env)).status).toBe(200);
    const token = await call("/rooms/conv_bare/token", { method: "POST" }, env);
    expect(token.status).toBe(200);
    expect(await token.json()).toMatchObject({ host: `http://${bareHost}` });
  });

  it("switches only the rooms off for plain http off this machine with auth on, and /health says why", async () => {
    const env = securedEnv({ PARTYKIT_HOST: "http://rooms.example.com", PARTY_SECRET });
    // The reason is a detail: an admin key sees it (the public sees `off`).
    const health = await call("/health", { headers: bearer(KEYS.admin) }, env);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: "degraded",
      components: { rooms: { status: "off", detail: expect.stringContaining("https://") } },
    });
    const chat = await call(
      "/chat",
      { method: "POST", headers: bearer(KEYS.alice), json: { message: "Hi" } },
      env,
    );
    expect(chat.status).toBe(200);
    const token = await call("/rooms/conv_http/token", { method: "POST", headers: bearer(KEYS.alice) }, env);
    expect(token.status).toBe(503);
  });

  it("signs room tokens with ROOM_TOKEN_SECRET when it is set", async () => {
    const env = makeEnv({
      PARTYKIT_HOST: "127.0.0.1:1999",
      PARTY_SECRET,
      ROOM_TOKEN_SECRET: "room-token-secret-0001",
    });
    const answer = (await (await call("/rooms/conv_sep/token", { method: "POST" }, env)).json()) as {
      token: string;
      host: string;
    };
    expect(answer.host).toBe("http://127.0.0.1:1999");
    expect(
      await verifyRoomToken(answer.token, { room: "conv_sep", secret: "room-token-secret-0001" }),
    ).toMatchObject({
      ok: true,
    });
    expect(await verifyRoomToken(answer.token, { room: "conv_sep", secret: PARTY_SECRET })).toMatchObject({
      ok: false,
    });
  });
});
