import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRoomToken } from "../../../src/rooms/token";
import { attemptConnection, type PartykitDevServer, startPartykitDev } from "../../helpers/partykit";

const secret = "rooms-attack-secret-0123456789ab";
const room = "attacked-room";
let server: PartykitDevServer;

beforeAll(async () => {
  server = await startPartykitDev({ vars: { PARTY_SECRET: secret } });
});

afterAll(async () => {
  await server?.stop();
});

const socketUrl = (target: string, token: string) =>
  `ws://${server.host}/parties/main/${target}?token=${encodeURIComponent(token)}`;
const inFiveMinutes = () => Date.now() + 300_000;
const sign = (target: string, expiresAt = inFiveMinutes()) =>
  signRoomToken({ room: target, expiresAt, secret });

/** `v1.<room>.<expiresAt>.<nonce>.<hmac>` with one part replaced. */
function withPart(token: string, index: number, value: string): string {
  const parts = token.split(".");
  parts[index] = value;
  return parts.join(".");
}

describe("tampered room tokens", () => {
  it("a token whose expiry was pushed out no longer verifies", async () => {
    const token = await sign(room, Date.now() + 60_000);
    const extended = withPart(token, 2, String(Date.now() + 365 * 86_400_000));
    expect(await attemptConnection(socketUrl(room, extended))).toBe(401);
  });

  it("a token whose room was rewritten is refused, for the new room and the old", async () => {
    const token = await sign("some-other-room");
    const rewritten = withPart(token, 1, room);
    expect(await attemptConnection(socketUrl(room, rewritten))).toBe(401);
    expect(await attemptConnection(socketUrl("some-other-room", token))).toBe("open");
  });

  it("a token for a room that differs only in case opens nothing", async () => {
    expect(await attemptConnection(socketUrl(room, await sign(room.toUpperCase())))).toBe(403);
  });

  it("a token with a stripped or truncated signature is refused", async () => {
    const token = await sign(room);
    expect(await attemptConnection(socketUrl(room, withPart(token, 4, "")))).toBe(401);
    expect(await attemptConnection(socketUrl(room, token.slice(0, -4)))).toBe(401);
    expect(await attemptConnection(socketUrl(room, `${token}.extra`))).toBe(401);
  });
});

describe("replayed room tokens", () => {
  it("a token that opened a socket is refused once it has expired", async () => {
    // Long enough for the first connection to open on a busy machine, short enough to wait out.
    const token = await sign(room, Date.now() + 8_000);
    expect(await attemptConnection(socketUrl(room, token))).toBe("open");
    await expect
      .poll(() => attemptConnection(socketUrl(room, token)), { timeout: 30_000, interval: 250 })
      .toBe(401);
  }, 60_000);
});

describe("forged publishes", () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${server.url}/parties/main/${room}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ type: "status", data: { messageId: "forged", state: "done" } }),
    });

  it("a client's own room token does not let it publish", async () => {
    const response = await post({ authorization: `Bearer ${await sign(room)}` });
    expect(response.status).toBe(401);
  });

  it("the secret in another place than the Authorization header does not count", async () => {
    expect((await post({ "x-party-secret": secret })).status).toBe(401);
    const inQuery = await fetch(`${server.url}/parties/main/${room}?token=${secret}`, {
      method: "POST",
      body: "{}",
    });
    expect(inQuery.status).toBe(401);
  });

  it("a refusal does not echo the secret or the presented value", async () => {
    const presented = `${secret.slice(0, -1)}X`;
    const text = await (await post({ authorization: `Bearer ${presented}` })).text();
    expect(text).not.toContain(secret);
    expect(text).not.toContain(presented);
  });
});
