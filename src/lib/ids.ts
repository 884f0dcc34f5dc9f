/** Conversation, message and room ids: opaque, safe in cache keys, URLs and room names. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
/** What {@link ID_PATTERN} asks for, in the words a validation error uses. */
export const ID_RULE = "must be 1–128 characters of A–Z, a–z, 0–9, _ or -";

/** A fresh, unguessable message id: a random (v4) UUID, 122 random bits. */
export function newMessageId(): string {
  return `msg_${crypto.randomUUID()}`;
}

/** A fresh conversation id, for a chat that did not name one. */
export function newConversationId(): string {
  return `conv_${crypto.randomUUID()}`;
}

/** A tool call id for a provider that gives none (Ollama), in OpenAI's `call_…` form. */
export function newToolCallId(): string {
  return `call_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
}

/** Hex SHA-256 of a text, for content-addressed caching. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
