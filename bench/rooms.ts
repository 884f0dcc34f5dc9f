import { randomBytes } from "node:crypto";
import PartySocket from "partysocket";
import WebSocket from "ws";
import { createRoomPublisher } from "../src/rooms/publisher";
import { signRoomToken } from "../src/rooms/token";
import type { MetricsMessage } from "../src/schemas/room";
import { startPartykitDev } from "../test/helpers/partykit";

/** Delivery latency of room broadcasts: publish call → receipt at every partysocket client. */

const CLIENT_COUNTS = [1, 100, 1_000];
const MESSAGES_PER_RUN = 30;
const CONNECT_BATCH = 100;
const DELIVERY_TIMEOUT_MS = 15_000;
const BENCH_DEADLINE_MS = 5 * 60_000;

/** Sends one metrics message to a room; swap this for a call through the chat API to bench the whole path. */
type PublishMetrics = (room: string, message: MetricsMessage) => Promise<void>;

interface Arrival {
  sentAt: number;
  latencies: number[];
}

const secret = randomBytes(24).toString("base64url");
const stopAt = Date.now() + BENCH_DEADLINE_MS;
const server = await startPartykitDev({ vars: { PARTY_SECRET: secret } });
const publisher = createRoomPublisher({ host: server.url, secret, timeoutMs: 10_000 });
const publishMetrics: PublishMetrics = (room, message) => publisher.publish(room, message);

const rows: string[][] = [];
try {
  for (const clients of CLIENT_COUNTS) {
    if (Date.now() > stopAt) break;
    rows.push(await measure(clients, publishMetrics));
  }
} finally {
  await server.stop();
}
printTable(["clients", "messages", "deliveries", "lost", "p50 ms", "p99 ms", "max ms", "connect s"], rows);

async function measure(clientCount: number, publish: PublishMetrics): Promise<string[]> {
  const room = `bench-${clientCount}-${Date.now()}`;
  const arrivals = new Map<string, Arrival>();
  const connectStart = performance.now();
  const sockets = await connectClients(room, clientCount, arrivals);
  const connectSeconds = (performance.now() - connectStart) / 1_000;

  await sendAndAwait(room, "warm-up", publish, arrivals, clientCount);
  arrivals.clear();
  for (let index = 0; index < MESSAGES_PER_RUN && Date.now() < stopAt; index++) {
    await sendAndAwait(room, `message-${index}`, publish, arrivals, clientCount);
  }
  for (const socket of sockets) socket.close();

  const latencies = [...arrivals.values()].flatMap((arrival) => arrival.latencies).sort((a, b) => a - b);
  const expected = arrivals.size * clientCount;
  return [
    String(clientCount),
    String(arrivals.size),
    String(latencies.length),
    String(expected - latencies.length),
    format(percentile(latencies, 0.5)),
    format(percentile(latencies, 0.99)),
    format(latencies.at(-1)),
    connectSeconds.toFixed(1),
  ];
}

async function connectClients(room: string, count: number, arrivals: Map<string, Arrival>) {
  const token = await signRoomToken({ room, secret, expiresAt: Date.now() + 600_000 });
  const sockets: PartySocket[] = [];
  for (let start = 0; start < count; start += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - start) }, () => {
      const socket = new PartySocket({
        host: server.host,
        room,
        query: { token },
        WebSocket,
        maxRetries: 0,
        connectionTimeout: 30_000,
      });
      socket.addEventListener("message", (event) => recordArrival(String(event.data), arrivals));
      sockets.push(socket);
      return new Promise<void>((resolve, reject) => {
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

function recordArrival(text: string, arrivals: Map<string, Arrival>) {
  const receivedAt = performance.now();
  const message = JSON.parse(text) as { type: string; data?: { messageId?: string } };
  if (message.type !== "metrics" || !message.data?.messageId) return;
  const arrival = arrivals.get(message.data.messageId);
  arrival?.latencies.push(receivedAt - arrival.sentAt);
}

async function sendAndAwait(
  room: string,
  messageId: string,
  publish: PublishMetrics,
  arrivals: Map<string, Arrival>,
  clientCount: number,
) {
  const arrival: Arrival = { sentAt: performance.now(), latencies: [] };
  arrivals.set(messageId, arrival);
  await publish(room, sampleMetrics(room, messageId));
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  while (arrival.latencies.length < clientCount && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function sampleMetrics(conversationId: string, messageId: string): MetricsMessage {
  return {
    type: "metrics",
    data: {
      messageId,
      conversationId,
      metrics: {
        is_ai_generated: true,
        human_likeness_score: 37.5,
        threshold: 50,
        source: "local",
        readability_metrics: { flesch_reading_ease: 61.2, gunning_fog_index: 11.4, smog_index: 10.1 },
        vocabulary_lexical_diversity: { type_token_ratio: 0.58, hapax_legomena_ratio: 0.41 },
        statistical_metrics: { average_sentence_length: 18.2, sentence_length_variance: 22.7 },
      },
    },
  };
}

function percentile(sorted: number[], fraction: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

function format(value: number | undefined): string {
  return value === undefined ? "-" : value.toFixed(1);
}

function printTable(header: string[], body: string[][]) {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const row of body) console.log(line(row));
}
