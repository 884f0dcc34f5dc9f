import { describe, expect, it } from "vitest";
import { decodeBase64Url, encodeBase64Url } from "../../../src/lib/base64url";
import { publishBearer } from "../../../src/rooms/keys";
import { signRoomToken, verifyRoomToken } from "../../../src/rooms/token";

const secret = "room-secret-for-unit-tests";
const now = 1_750_000_000_000;
const inFiveMinutes = now + 300_000;

describe("room tokens", () => {
  it("a token signed for a room opens that room until it expires", async () => {
    const token = await signRoomToken({ room: "conv_1", expiresAt: inFiveMinutes, secret });
    expect(await verifyRoomToken(token, { room: "conv_1", secret, now })).toEqual({
      ok: true,
      expiresAt: inFiveMinutes,
    });
  });

  it("two tokens for the same room and expiry differ (random nonce)", async () => {
    const first = await signRoomToken({ room: "conv_1", expiresAt: inFiveMinutes, secret });
    const second = await signRoomToken({ room: "conv_1", expiresAt: inFiveMinutes, secret });
    expect(first).not.toBe(second);
  });

  it("the token is URL-safe", async () => {
    const token = await signRoomToken({ room: "A-z_09", expiresAt: inFiveMinutes, secret });
    expect(encodeURIComponent(token)).toBe(token);
  });

  it("an absent token is missing", async () => {
    for (const token of [undefined, null, ""]) {
      expect(await verifyRoomToken(token, { room: "conv_1", secret, now })).toEqual({
        ok: false,
        reason: "missing",
      });
    }
  });

  it("garbage is malformed", async () => {
    const valid = await signRoomToken({ room: "conv_1", expiresAt: inFiveMinutes, secret });
    const [version, room, expiry, nonce, signature] = valid.split(".");
    const garbage = [
      "hello",
      "a.b.c.d.e",
      `v2.${room}.${expiry}.${nonce}.${signature}`,
      `${version}.bad room.${expiry}.${nonce}.${signature}`,
      `${version}.${room}.-5.${nonce}.${signature}`,
      `${version}.${room}.${expiry}.${nonce}.${signature?.slice(1)}`,
      `${version}.${room}.${expiry}.${nonce}.${signature}.extra`,
      `${version}.${room}.${expiry}.${nonce}.${signature?.replace(/./, "+")}`,
    ];
    for (const token of garbage) {
      expect(await verifyRoomToken(token, { room: "conv_1", secret, now }), token).toEqual({
        ok: false,
        reason: "malformed",
      });
    }
  });

  it("a token signed with another secret has a bad signature", async () => {
    const token = await signRoomToken({ room: "conv_1", expiresAt: inFiveMinutes, secret: "another-secret" });
    expect(await verifyRoomToken(token, { room: "conv_1", secret, now })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("changing the room or the expiry inside a token breaks its signature", async () => {
    const token = await signRoomToken({ room: "conv_1", expiresAt: now + 1_000, secret });
    const otherRoom = token.replace(".conv_1.", ".conv_2.");
    const laterExpiry = token.replace(`.${now + 1_000}.`, `.${now + 999_999}.`);
    for (const forged of [otherRoom, laterExpiry]) {
      expect(await verifyRoomToken(forged, { room: "conv_2", secret, now })).toEqual({
        ok: false,
        reason: "bad_signature",
      });
    }
  });

  it("a token for another room is refused as wrong_room", async () => {
    const token = await signRoomToken({ room: "conv_1", expiresAt: inFiveMinutes, secret });
    expect(await verifyRoomToken(token, { room: "conv_2", secret, now })).toEqual({
      ok: false,
      reason: "wrong_room",
    });
  });

  it("a token is expired from its expiry time on", async () => {
    const token = await signRoomToken({ room: "conv_1", expiresAt: now, secret });
    expect(await verifyRoomToken(token, { room: "conv_1", secret, now })).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(await verifyRoomToken(token, { room: "conv_1", secret, now: now - 1 })).toMatchObject({
      ok: true,
    });
  });

  it("signing refuses room ids outside the conversation id format and bad expiries", async () => {
    await expect(signRoomToken({ room: "a.b", expiresAt: inFiveMinutes, secret })).rejects.toThrow(/room/);
    await expect(signRoomToken({ room: "x".repeat(129), expiresAt: inFiveMinutes, secret })).rejects.toThrow(
      /room/,
    );
    await expect(signRoomToken({ room: "conv_1", expiresAt: 1.5, secret })).rejects.toThrow(/expiresAt/);
    await expect(signRoomToken({ room: "conv_1", expiresAt: inFiveMinutes, secret: "" })).rejects.toThrow(
      /secret/,
    );
  });

  it("signs with a key derived from the secret, distinct from the publish bearer, never the secret itself", async () => {
    const token = await signRoomToken({ room: "conv_1", expiresAt: inFiveMinutes, secret });
    const signed = token.split(".").slice(0, 4).join(".");
    const signature = decodeBase64Url(token.split(".")[4] as string) as Uint8Array<ArrayBuffer>;
    const raw = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    expect(await crypto.subtle.verify("HMAC", raw, signature, new TextEncoder().encode(signed))).toBe(false);

    const bearer = await publishBearer(secret);
    expect(bearer).not.toContain(secret);
    expect(bearer).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(bearer).not.toBe(encodeBase64Url(signature));
    expect(await publishBearer("another-secret-value")).not.toBe(bearer);
  });
});
