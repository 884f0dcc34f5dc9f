import { encodeBase64Url } from "../lib/base64url";

/**
 * What each key derived from a rooms secret is for. `PARTY_SECRET` itself never goes on the wire nor
 * signs anything: the worker→room bearer and the room-token key are HMAC-SHA256 of the secret over
 * these labels, so a leaked bearer (it travels in every publish) reveals neither the secret nor the
 * token key, and a token reveals nothing of the bearer.
 */
const LABELS = {
  publish: "neon-nexus rooms: publish bearer v1",
  token: "neon-nexus rooms: room token key v1",
} as const;

export type RoomKeyPurpose = keyof typeof LABELS;

const encoder = new TextEncoder();
const derived = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/** The key for `purpose` derived from `secret` (memoised per isolate). */
export function deriveRoomKey(secret: string, purpose: RoomKeyPurpose): Promise<Uint8Array<ArrayBuffer>> {
  if (!secret) throw new TypeError("a rooms secret is required");
  const memo = `${purpose}\n${secret}`;
  let key = derived.get(memo);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      .then((base) => crypto.subtle.sign("HMAC", base, encoder.encode(LABELS[purpose])))
      .then((bytes) => new Uint8Array(bytes));
    if (derived.size >= 8) derived.clear();
    derived.set(memo, key);
  }
  return key;
}

/**
 * The bearer the worker sends with every publish and the rooms expect: derived from `PARTY_SECRET`.
 *
 * @example
 * fetch(`${host}/parties/main/${room}`, { headers: { authorization: `Bearer ${await publishBearer(secret)}` } });
 */
export async function publishBearer(partySecret: string): Promise<string> {
  return encodeBase64Url(await deriveRoomKey(partySecret, "publish"));
}
