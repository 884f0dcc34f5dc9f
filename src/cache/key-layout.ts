/** Redis key layout; every key carries the `nn:` namespace (see docs/CACHE.md). */
export const cacheKeys = {
  message: (id: string) => `nn:msg:${id}`,
  metrics: (id: string) => `nn:metrics:${id}`,
  /** A conversation's turns: a sorted set ordered by each turn's position (see `historyMember`). */
  conversation: (id: string) => `nn:history:${id}`,
  /** The ids of the messages a conversation holds, so it can be deleted without any other index. */
  conversationMessages: (id: string) => `nn:conv-msgs:${id}`,
  /**
   * Short-lived "deleted" marker of a conversation: every later write for it (a retried history
   * write, late metrics, a memory write) sees it and stores nothing. Holds who deleted it.
   */
  tombstone: (id: string) => `nn:deleted:conv:${id}`,
  /** The conversations bound to one API key name, so everything of a key can be erased. */
  ownedConversations: (owner: string) => `nn:owner:convs:${owner}`,
  analysis: (textHash: string) => `nn:analysis:${textHash}`,
  /** The API key a conversation is bound to (see docs/SECURITY.md, "Ownership"). */
  conversationOwner: (id: string) => `nn:owner:conv:${id}`,
  /** The API key a message and its metrics are bound to. */
  messageOwner: (id: string) => `nn:owner:msg:${id}`,
};

/**
 * Every key a conversation and the given messages of it occupy, except its owner record (removed
 * last, see docs/MEMORY.md "Deleting") and its tombstone: history, message index, replies, metrics, markers.
 */
export const conversationKeys = (conversationId: string, messageIds: readonly string[]): string[] => [
  cacheKeys.conversation(conversationId),
  cacheKeys.conversationMessages(conversationId),
  ...messageIds.flatMap((id) => [cacheKeys.message(id), cacheKeys.metrics(id), cacheKeys.messageOwner(id)]),
];

/**
 * How an owner is written: `key:<name>`, never a bare name, so a key named `123` or `null` cannot
 * come back from the REST client's JSON decoding as a number or null. `key:` alone: auth was off.
 */
export const ownerRecord = (owner: string | undefined) => `key:${owner ?? ""}`;

/** The owner name an owner record holds, or null for anything else. */
export const ownerOfRecord = (record: unknown): string | null =>
  typeof record === "string" && record.startsWith("key:") ? record.slice(4) : null;

/** How long a deleted conversation refuses every write: longer than any write after an answer may run. */
export const TOMBSTONE_TTL_SECONDS = 600;

/**
 * A history entry: the turn and where it stands. Each turn of an exchange has its own member (the
 * message id and its index), so a retried write adds nothing, and its score (the exchange's position,
 * then the turn's index) keeps the turns in the order they were asked, whatever order writes land in.
 */
export const historyMember = (messageId: string, index: number, turn: { role: string; content: string }) =>
  JSON.stringify({ at: `${messageId}:${index}`, role: turn.role, content: turn.content });
export const historyScore = (position: number, index: number) => position * 16 + Math.min(index, 15);

/** Owners outlive what they guard: the message, its metrics, the history and the room's replay. */
export const ownerTtlSeconds = (options: { messagesTtlSeconds: number; metricsTtlSeconds: number }) =>
  Math.max(options.messagesTtlSeconds, options.metricsTtlSeconds);

/** A plain JSON object as read back (not an array, not null), or null for anything else. */
export const asJsonObject = (value: unknown): Record<string, unknown> | null =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
