import type * as Party from "partykit/server";
import type { MetricsMessage } from "../src/schemas/room";
import { MAX_REPLAY_BYTES, REPLAY_LENGTH } from "./limits";

const PREFIX = "replay:";
const keyFor = (sequence: number) => `${PREFIX}${String(sequence).padStart(16, "0")}`;

/** One stored metrics message and when it was stored (epoch ms). */
interface ReplayEntry {
  at: number;
  size: number;
  message: MetricsMessage;
}

export interface ReplayPolicy {
  /** How long a message is replayed: the worker's metrics TTL (`METRICS_TTL_SECONDS`). */
  ttlMs: number;
  now?: number;
}

const isEntry = (value: unknown): value is ReplayEntry =>
  typeof value === "object" && value !== null && "at" in value && typeof value.at === "number";

/** The room's entries oldest first; expired (or unreadable) ones are deleted on the way. */
async function freshEntries(storage: Party.Storage, { ttlMs, now = Date.now() }: ReplayPolicy) {
  const stored = await storage.list<unknown>({ prefix: PREFIX });
  const fresh: Array<[string, ReplayEntry]> = [];
  const stale: string[] = [];
  for (const [key, value] of stored) {
    if (isEntry(value) && value.at + ttlMs > now) fresh.push([key, value]);
    else stale.push(key);
  }
  if (stale.length > 0) await storage.delete(stale);
  return fresh;
}

/**
 * Keeps a room's last metrics messages in storage, oldest first, one key each: at most
 * {@link REPLAY_LENGTH} of them and {@link MAX_REPLAY_BYTES} in all, each for the metrics TTL.
 * An alarm deletes them once they expire, so a room nobody visits again does not keep them.
 */
export async function rememberMetrics(
  storage: Party.Storage,
  message: MetricsMessage,
  policy: ReplayPolicy,
): Promise<void> {
  const now = policy.now ?? Date.now();
  const entries = await freshEntries(storage, { ...policy, now });
  const last = entries.at(-1)?.[0];
  const nextSequence = last ? Number(last.slice(PREFIX.length)) + 1 : 1;
  const entry: ReplayEntry = { at: now, size: JSON.stringify(message).length, message };
  entries.push([keyFor(nextSequence), entry]);
  await storage.put(keyFor(nextSequence), entry);

  let bytes = entries.reduce((sum, [, stored]) => sum + stored.size, 0);
  let drop = Math.max(0, entries.length - REPLAY_LENGTH);
  for (let index = 0; index < entries.length; index++) {
    if (index >= drop && bytes <= MAX_REPLAY_BYTES) break;
    bytes -= (entries[index] as [string, ReplayEntry])[1].size;
    drop = Math.max(drop, index + 1);
  }
  if (drop > 0) await storage.delete(entries.slice(0, drop).map(([key]) => key));
  const oldest = entries[drop]?.[1] ?? entry;
  await scheduleExpiry(storage, oldest.at + policy.ttlMs);
}

/** The stored metrics messages that have not expired, oldest first. */
export async function storedMetrics(storage: Party.Storage, policy: ReplayPolicy): Promise<MetricsMessage[]> {
  return (await freshEntries(storage, policy)).map(([, entry]) => entry.message);
}

/** How many replay entries the room's storage holds, expired or not. */
export async function countStored(storage: Party.Storage): Promise<number> {
  return (await storage.list({ prefix: PREFIX })).size;
}

/** The alarm's work: deletes expired entries and wakes again when the next one expires. */
export async function expireReplay(storage: Party.Storage, policy: ReplayPolicy): Promise<void> {
  const entries = await freshEntries(storage, policy);
  const oldest = entries[0]?.[1];
  if (oldest) await scheduleExpiry(storage, oldest.at + policy.ttlMs);
}

async function scheduleExpiry(storage: Party.Storage, at: number): Promise<void> {
  const current = await storage.getAlarm();
  if (current === null || current > at) await storage.setAlarm(at);
}

/** Forgets every stored metrics message (the conversation was deleted). */
export async function forgetMetrics(storage: Party.Storage): Promise<void> {
  const stored = await storage.list({ prefix: PREFIX });
  if (stored.size > 0) await storage.delete([...stored.keys()]);
}
