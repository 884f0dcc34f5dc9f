import type { ConversationState } from "../cache";
import { ApiError, errorName } from "../lib/errors";
import type { Services } from "../services";

/** Who asks: an API key's name, or undefined when auth is off (everything open). */
export type Caller = string | undefined;

export interface ConversationErased {
  /** False when there was nothing the caller may delete: the route answers 404. */
  found: boolean;
  /** Messages removed with it (0 on a retry that finds them gone already). */
  messages: number;
}

/**
 * Whether `caller` may delete the conversation: its owner record names them, or they deleted it
 * lately (a retried DELETE answers the same). With auth on nothing else counts, so another key
 * gets the same answer whether the id exists or not; with auth off anything stored may be deleted.
 */
export function mayDelete(state: ConversationState, caller: Caller): boolean {
  if (caller !== undefined) return state.owner === caller || state.deletedBy === caller;
  return state.owner !== null || state.deletedBy !== null || state.stored;
}

/** Runs one step of a deletion: a part that fails is logged and answered 503 (the DELETE can be retried). */
async function step<T>(services: Services, part: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    services.log({ msg: "conversation_delete_incomplete", part, reason: errorName(error) }, "warn");
    throw new ApiError(503, "service_unavailable", `The ${part} is unavailable right now; try again shortly`);
  }
}

/**
 * Deletes a conversation of `caller`: everything of it wherever it lives, in an order that can be
 * retried until it is all gone. First its tombstone (no later write stores anything for it), then
 * its vectors, its history, messages and metrics, the room's replay, and last its owner record.
 *
 * @example
 * const { found, messages } = await deleteConversation(services, "conv_8f2c1a", "web");
 */
export async function deleteConversation(
  services: Services,
  conversationId: string,
  caller: Caller,
): Promise<ConversationErased> {
  const state = await step(services, "cache", () => services.store.conversationState(conversationId));
  if (!mayDelete(state, caller)) return { found: false, messages: 0 };
  const messages = await eraseConversation(services, conversationId, caller ?? "");
  await step(services, "cache", () => services.store.releaseConversation(conversationId, state.owner));
  return { found: true, messages };
}

/** Everything of a conversation but its owner record; answers how many messages went with it. */
async function eraseConversation(services: Services, conversationId: string, owner: string): Promise<number> {
  const { store, memory, rooms } = services;
  const ids = new Set(await step(services, "cache", () => store.markDeleted(conversationId, owner)));
  if (memory) {
    const vectors = await step(services, "vector store", () => memory.forget({ owner, conversationId }));
    for (const id of vectors) ids.add(id);
  }
  await step(services, "cache", () => store.deleteConversation(conversationId, [...ids]));
  if (rooms) await step(services, "rooms", () => rooms.clear(conversationId));
  return ids.size;
}

export interface KeyErased {
  conversations: number;
  messages: number;
  /** True when more is left: call again (each call erases a bounded batch). */
  remaining: boolean;
}

/** Conversations erased per call: each costs a few subrequests, and a worker's request has a cap. */
export const ERASE_BATCH = 20;

/**
 * Erases a batch of what one key name owns: its conversations (as {@link deleteConversation} does,
 * found through the owner index and the vector rows), and once none are left, any vector rows of it.
 *
 * @example
 * let result; do result = await eraseKey(services, "departed-customer"); while (result.remaining);
 */
export async function eraseKey(services: Services, keyName: string, batch = ERASE_BATCH): Promise<KeyErased> {
  const { store, memory } = services;
  const ids = new Set(await step(services, "cache", () => store.conversationsOf(keyName, batch)));
  if (memory && ids.size < batch) {
    const found = await step(services, "vector store", () =>
      memory.conversationsOf(keyName, batch - ids.size),
    );
    for (const id of found) ids.add(id);
  }
  let messages = 0;
  for (const conversationId of ids) {
    const state = await step(services, "cache", () => store.conversationState(conversationId));
    // Only its own: a conversation bound to another key keeps its records (this key's vectors go below).
    if (state.owner === null || state.owner === keyName)
      messages += await eraseConversation(services, conversationId, keyName);
    await step(services, "cache", () => store.releaseConversation(conversationId, keyName));
  }
  const remaining = ids.size >= batch;
  if (!remaining && memory) await step(services, "vector store", () => memory.forgetOwner(keyName));
  return { conversations: ids.size, messages, remaining };
}
