import { encodeBase64Url } from "./base64url";

/** A fresh, unguessable message id: 128 random bits, base64url. */
export function newMessageId(): string {
  return `msg_${encodeBase64Url(crypto.getRandomValues(new Uint8Array(16)))}`;
}

/** Hex SHA-256 of a text, for content-addressed caching. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
