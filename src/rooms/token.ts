import { decodeBase64Url, encodeBase64Url } from "../lib/base64url";
import { ID_PATTERN, ID_RULE } from "../lib/ids";
import { deriveRoomKey } from "./keys";

const TOKEN_VERSION = "v1";
const NONCE_BYTES = 12;
const SIGNATURE_BYTES = 32;
const encoder = new TextEncoder();

export type RoomTokenRefusal = "missing" | "malformed" | "bad_signature" | "expired" | "wrong_room";

export type RoomTokenCheck = { ok: true; expiresAt: number } | { ok: false; reason: RoomTokenRefusal };

export interface SignRoomTokenOptions {
  /** Room (conversation) id the token opens. */
  room: string;
  /** Expiry as epoch milliseconds. */
  expiresAt: number;
  /**
   * Secret known to the worker and the rooms: `ROOM_TOKEN_SECRET`, else `PARTY_SECRET`. The HMAC key
   * is derived from it (`src/rooms/keys.ts`), never the secret itself.
   */
  secret: string;
}

export interface VerifyRoomTokenOptions {
  /** Room the client is connecting to. */
  room: string;
  secret: string;
  /** Current time in epoch milliseconds; defaults to `Date.now()`. */
  now?: number;
}

/**
 * Signs a short-lived token that lets a client connect to one room.
 * Format: `v1.<room>.<expiresAt>.<nonce>.<hmac>`, nonce and HMAC-SHA256 (under the token key derived
 * from `secret`) in base64url.
 *
 * @example
 * const token = await signRoomToken({ room: "conv_1", expiresAt: Date.now() + 300_000, secret });
 * new PartySocket({ host, room: "conv_1", query: { token } });
 */
export async function signRoomToken({ room, expiresAt, secret }: SignRoomTokenOptions): Promise<string> {
  if (!ID_PATTERN.test(room)) throw new TypeError(`room ${ID_RULE}`);
  if (!Number.isSafeInteger(expiresAt) || expiresAt < 0) {
    throw new TypeError("expiresAt must be a whole number of epoch milliseconds");
  }
  const nonce = encodeBase64Url(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
  const signed = [TOKEN_VERSION, room, String(expiresAt), nonce].join(".");
  const key = await hmacKey(secret);
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(signed)));
  return `${signed}.${encodeBase64Url(signature)}`;
}

/**
 * Checks a room token: signature first (constant time), then room, then expiry.
 *
 * @example
 * const check = await verifyRoomToken(url.searchParams.get("token"), { room, secret });
 * if (!check.ok) return new Response(check.reason, { status: 401 });
 */
export async function verifyRoomToken(
  token: string | null | undefined,
  { room, secret, now = Date.now() }: VerifyRoomTokenOptions,
): Promise<RoomTokenCheck> {
  if (!token) return { ok: false, reason: "missing" };
  const parsed = parseToken(token);
  if (!parsed) return { ok: false, reason: "malformed" };
  const key = await hmacKey(secret);
  const valid = await crypto.subtle.verify("HMAC", key, parsed.signature, encoder.encode(parsed.signed));
  if (!valid) return { ok: false, reason: "bad_signature" };
  if (parsed.room !== room) return { ok: false, reason: "wrong_room" };
  if (parsed.expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, expiresAt: parsed.expiresAt };
}

function parseToken(token: string) {
  const parts = token.split(".");
  if (parts.length !== 5) return undefined;
  const [version, room, expiry, nonce, signatureText] = parts as [string, string, string, string, string];
  if (version !== TOKEN_VERSION || !ID_PATTERN.test(room) || !/^\d{1,16}$/.test(expiry)) return undefined;
  const expiresAt = Number(expiry);
  const signature = decodeBase64Url(signatureText);
  const nonceBytes = decodeBase64Url(nonce);
  if (
    !Number.isSafeInteger(expiresAt) ||
    nonceBytes?.byteLength !== NONCE_BYTES ||
    signature?.byteLength !== SIGNATURE_BYTES
  ) {
    return undefined;
  }
  return { room, expiresAt, signature, signed: parts.slice(0, 4).join(".") };
}

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  if (!secret) throw new TypeError("a room token secret is required");
  let key = keys.get(secret);
  if (!key) {
    key = deriveRoomKey(secret, "token").then((raw) =>
      crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]),
    );
    keys.clear();
    keys.set(secret, key);
  }
  return key;
}
