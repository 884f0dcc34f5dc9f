import PartySocket from "partysocket";
import WebSocket from "ws";
import { sleep } from "../lib/workerd.ts";

const CONNECT_BATCH = 100;

/**
 * Receipt times (`performance.now()`) of the frames all clients got, by message id: final `metrics`
 * frames, partial ones (by message id and word count), and the `status` frame that ends a chat.
 */
export class FrameArrivals {
  private readonly metrics = new Map<string, number[]>();
  private readonly settled = new Map<string, number[]>();
  private readonly partials = new Map<string, number[]>();

  /** Notes one received WebSocket frame. */
  record(text: string, receivedAt: number): void {
    const frame = JSON.parse(text) as {
      type?: string;
      data?: { messageId?: string; state?: string; partial?: boolean; words?: number };
    };
    const messageId = frame.data?.messageId;
    if (!messageId) return;
    if (frame.type === "metrics" && frame.data?.partial === true) {
      const key = `${messageId}#${frame.data.words}`;
      this.partials.set(key, [...(this.partials.get(key) ?? []), receivedAt]);
      return;
    }
    const ending = frame.type === "status" && (frame.data?.state === "done" || frame.data?.state === "error");
    const byMessage = frame.type === "metrics" ? this.metrics : ending ? this.settled : undefined;
    if (!byMessage) return;
    const times = byMessage.get(messageId) ?? [];
    times.push(receivedAt);
    byMessage.set(messageId, times);
  }

  /** Waits until `count` clients got the `metrics` frame of `messageId` or `timeoutMs` passed; returns receipts so far. */
  metricsOf(messageId: string, count: number, timeoutMs: number): Promise<number[]> {
    return waitForCount(this.metrics, messageId, count, timeoutMs);
  }

  /** Waits until `count` clients got the partial `metrics` frame of `messageId` scored at `words` words. */
  partialOf(messageId: string, words: number, count: number, timeoutMs: number): Promise<number[]> {
    return waitForCount(this.partials, `${messageId}#${words}`, count, timeoutMs);
  }

  /** Waits until `count` clients got the closing `status` frame of `messageId` or `timeoutMs` passed. */
  async settledOf(messageId: string, count: number, timeoutMs: number): Promise<void> {
    await waitForCount(this.settled, messageId, count, timeoutMs);
  }
}

async function waitForCount(
  byMessage: Map<string, number[]>,
  messageId: string,
  count: number,
  timeoutMs: number,
): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while ((byMessage.get(messageId)?.length ?? 0) < count && Date.now() < deadline) await sleep(1);
  return byMessage.get(messageId) ?? [];
}

interface RoomToken {
  token: string;
  host: string;
}

/** Asks our worker for a room token, as a browser would before connecting. */
export async function fetchRoomToken(apiUrl: string, room: string): Promise<RoomToken> {
  const response = await fetch(`${apiUrl}/rooms/${room}/token`, { method: "POST" });
  if (!response.ok) throw new Error(`token for ${room}: ${response.status} ${await response.text()}`);
  return (await response.json()) as RoomToken;
}

/**
 * Connects `count` partysocket clients (Node `ws`) to one room, each with its own token from the
 * worker, in batches; every frame they receive goes to `arrivals`. Resolves once all are open.
 */
export async function connectRoomClients(
  apiUrl: string,
  room: string,
  count: number,
  arrivals: FrameArrivals,
): Promise<PartySocket[]> {
  const sockets: PartySocket[] = [];
  for (let start = 0; start < count; start += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - start) }, async () => {
      const { token, host } = await fetchRoomToken(apiUrl, room);
      const socket = new PartySocket({
        host: host.replace(/^https?:\/\//, ""),
        room,
        query: { token },
        WebSocket,
        maxRetries: 0,
        connectionTimeout: 30_000,
      });
      sockets.push(socket);
      socket.addEventListener("message", (event) => arrivals.record(String(event.data), performance.now()));
      await new Promise<void>((resolve, reject) => {
        socket.addEventListener("open", () => resolve(), { once: true });
        socket.addEventListener("close", () => reject(new Error(`a client of ${room} closed`)), {
          once: true,
        });
      });
    });
    await Promise.all(batch);
  }
  return sockets;
}
