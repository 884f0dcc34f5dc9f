import type { MessagePort } from "node:worker_threads";
import PartySocket from "partysocket";
import WebSocket from "ws";
import { monotonicMs } from "./clock.ts";

/** What a watcher thread is started with (`workerData`). */
export interface WatcherThreadData {
  apiUrl: string;
  room: string;
  /** How many partysocket clients this thread holds. */
  clients: number;
  /** How many of them connect at once. */
  connectBatch: number;
  /** `false`: the clients connect with `progress=off` and get metrics frames only. */
  progress: boolean;
}

/** Main thread → watcher thread. */
export type ToWatcher = { type: "flush"; key: string } | { type: "cpu" } | { type: "close" };

/** Watcher thread → main thread. */
export type FromWatcher =
  | { type: "ready" }
  | { type: "failed"; error: string }
  /** Receipt times ({@link monotonicMs}) of one frame kind: all of this thread's clients, or those so far on a flush. */
  | { type: "receipts"; key: string; times: number[] }
  /** CPU time this thread has used so far, in ms. */
  | { type: "cpu"; ms: number };

/** The key a frame's receipts are gathered under, or `undefined` for frames the bench does not time. */
export function frameKey(text: string): string | undefined {
  const frame = JSON.parse(text) as {
    type?: string;
    data?: { messageId?: string; state?: string; partial?: boolean; words?: number };
  };
  const messageId = frame.data?.messageId;
  if (!messageId) return undefined;
  if (frame.type === "metrics")
    return frame.data?.partial === true
      ? partialKey(messageId, frame.data.words ?? 0)
      : metricsKey(messageId);
  const ending = frame.type === "status" && (frame.data?.state === "done" || frame.data?.state === "error");
  return ending ? settledKey(messageId) : undefined;
}

/** A final `metrics` frame. */
export const metricsKey = (messageId: string) => `metrics:${messageId}`;
/** A partial `metrics` frame scored at `words` words. */
export const partialKey = (messageId: string, words: number) => `partial:${messageId}#${words}`;
/** The `status` frame (`done` or `error`) that ends a chat. */
export const settledKey = (messageId: string) => `settled:${messageId}`;

/**
 * One watcher thread: connects its share of the room's partysocket clients (each with its own token
 * from the worker, as a browser would), notes when each frame arrives, and hands the main thread the
 * receipts of a frame once all its clients have it — one message per frame and thread, not per client.
 */
export async function runWatcherThread(data: WatcherThreadData, port: MessagePort): Promise<void> {
  const post = (message: FromWatcher) => port.postMessage(message);
  const pending = new Map<string, number[]>();
  // Every client of the room gets the same frame: parse it once per thread, not once per client, so
  // the bench's own bookkeeping does not delay the receipts of the clients after it.
  let lastText = "";
  let lastKey: string | undefined;
  const record = (text: string, receivedAt: number) => {
    if (text !== lastText) {
      lastText = text;
      lastKey = frameKey(text);
    }
    const key = lastKey;
    if (!key) return;
    const times = pending.get(key) ?? [];
    if (times.length === 0) pending.set(key, times);
    times.push(receivedAt);
    if (times.length === data.clients) {
      pending.delete(key);
      post({ type: "receipts", key, times });
    }
  };

  const sockets: PartySocket[] = [];
  port.on("message", (message: ToWatcher) => {
    if (message.type === "cpu") {
      const { user, system } = process.threadCpuUsage();
      post({ type: "cpu", ms: (user + system) / 1_000 });
      return;
    }
    if (message.type === "flush") {
      post({ type: "receipts", key: message.key, times: pending.get(message.key) ?? [] });
      pending.delete(message.key);
      return;
    }
    for (const socket of sockets) socket.close();
    port.close();
  });
  try {
    for (let start = 0; start < data.clients; start += data.connectBatch) {
      const batch = Math.min(data.connectBatch, data.clients - start);
      sockets.push(...(await Promise.all(Array.from({ length: batch }, () => connectClient(data, record)))));
    }
    post({ type: "ready" });
  } catch (error) {
    post({ type: "failed", error: String(error) });
  }
}

interface RoomToken {
  token: string;
  host: string;
}

/** Asks our worker for a room token, as a browser would before connecting. */
async function fetchRoomToken(apiUrl: string, room: string): Promise<RoomToken> {
  const response = await fetch(`${apiUrl}/rooms/${room}/token`, { method: "POST" });
  if (!response.ok) throw new Error(`token for ${room}: ${response.status} ${await response.text()}`);
  return (await response.json()) as RoomToken;
}

async function connectClient(
  { apiUrl, room, progress }: WatcherThreadData,
  record: (text: string, receivedAt: number) => void,
): Promise<PartySocket> {
  const { token, host } = await fetchRoomToken(apiUrl, room);
  const socket = new PartySocket({
    host: host.replace(/^https?:\/\//, ""),
    room,
    query: progress ? { token } : { token, progress: "off" },
    WebSocket,
    maxRetries: 0,
    connectionTimeout: 30_000,
  });
  socket.addEventListener("message", (event) => record(String(event.data), monotonicMs()));
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("close", () => reject(new Error(`a client of ${room} closed`)), { once: true });
  });
  return socket;
}
