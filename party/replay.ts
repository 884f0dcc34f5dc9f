import type * as Party from "partykit/server";
import type { MetricsMessage } from "../src/schemas/room";
import { REPLAY_LENGTH } from "./limits";

const PREFIX = "replay:";
const keyFor = (sequence: number) => `${PREFIX}${String(sequence).padStart(16, "0")}`;

/** Keeps a room's last metrics messages in storage, oldest first, one key each. */
export async function rememberMetrics(storage: Party.Storage, message: MetricsMessage): Promise<void> {
  const stored = await storage.list<MetricsMessage>({ prefix: PREFIX });
  const keys = [...stored.keys()];
  const last = keys.at(-1);
  const nextSequence = last ? Number(last.slice(PREFIX.length)) + 1 : 1;
  await storage.put(keyFor(nextSequence), message);
  const overflow = keys.length + 1 - REPLAY_LENGTH;
  if (overflow > 0) await storage.delete(keys.slice(0, overflow));
}

/** Forgets every stored metrics message (the conversation was deleted). */
export async function forgetMetrics(storage: Party.Storage): Promise<void> {
  const stored = await storage.list({ prefix: PREFIX });
  if (stored.size > 0) await storage.delete([...stored.keys()]);
}

/** The stored metrics messages, oldest first. */
export async function storedMetrics(storage: Party.Storage): Promise<MetricsMessage[]> {
  const stored = await storage.list<MetricsMessage>({ prefix: PREFIX });
  return [...stored.values()];
}
