/** Redis key layout; every key carries the `nn:` namespace (see docs/CACHE.md). */
export const cacheKeys = {
  message: (id: string) => `nn:msg:${id}`,
  metrics: (id: string) => `nn:metrics:${id}`,
  conversation: (id: string) => `nn:conv:${id}`,
  analysis: (textHash: string) => `nn:analysis:${textHash}`,
  /** The API key a conversation is bound to (see docs/SECURITY.md, "Ownership"). */
  conversationOwner: (id: string) => `nn:owner:conv:${id}`,
  /** Set when a message's turns were appended to its conversation, so a retried write appends them once. */
  appended: (messageId: string) => `nn:appended:${messageId}`,
  /** The API key a message and its metrics are bound to. */
  messageOwner: (id: string) => `nn:owner:msg:${id}`,
};

/**
 * How an owner is written: `key:<name>`, never a bare name, so a key named `123` or `null` cannot
 * come back from the REST client's JSON decoding as a number or null.
 */
/** Every key a conversation and the given messages of it occupy: history, owners, replies, metrics, markers. */
export const conversationKeys = (conversationId: string, messageIds: readonly string[]): string[] => [
  cacheKeys.conversation(conversationId),
  cacheKeys.conversationOwner(conversationId),
  ...messageIds.flatMap((id) => [
    cacheKeys.message(id),
    cacheKeys.metrics(id),
    cacheKeys.messageOwner(id),
    cacheKeys.appended(id),
  ]),
];

export const ownerRecord = (owner: string) => `key:${owner}`;

/** Owners outlive what they guard: the message, its metrics, the history and the room's replay. */
export const ownerTtlSeconds = (options: { messagesTtlSeconds: number; metricsTtlSeconds: number }) =>
  Math.max(options.messagesTtlSeconds, options.metricsTtlSeconds);

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
