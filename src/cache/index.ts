import { createMemoryChatStore } from "./memory-store";
import { createRedisChatStore } from "./redis-store";

export { createRedisClient } from "./redis-store";

import type { ChatStore, ChatStoreOptions } from "./types";

export { cacheKeys } from "./key-layout";
export * from "./types";
export { createWriteRetry, type WriteRetry } from "./write-retry";

/**
 * The cache for messages, metrics, conversation history and analysis results: Upstash Redis over
 * REST when a `redis` client is given, otherwise this isolate's memory.
 *
 * @example
 * const store = createChatStore({ redis: createRedisClient({ url, token, timeoutMs: 500 }),
 *   messagesTtlSeconds: 86_400, metricsTtlSeconds: 604_800, historyTurns: 20 });
 * const history = await store.loadHistory("conv-42");
 */
export function createChatStore(options: ChatStoreOptions): ChatStore {
  const { redis } = options;
  return redis ? createRedisChatStore({ ...options, redis }) : createMemoryChatStore(options);
}
