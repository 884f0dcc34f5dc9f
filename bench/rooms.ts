import { availableParallelism } from "node:os";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { createRoomPublisher, type RoomPublisher } from "../src/rooms/publisher.ts";
import type { MetricsMessage } from "../src/schemas/room.ts";
import { percentile } from "./lib/stats.ts";
import { fixed, printTable } from "./lib/table.ts";
import { RoomWatchers } from "./rooms/clients.ts";
import { monotonicMs } from "./rooms/clock.ts";
import { type RoomsStand, startRoomsStand } from "./rooms/stand.ts";
import { runWatcherThread, type WatcherThreadData } from "./rooms/watcher-thread.ts";

/**
 * Room delivery latency through the real API: `POST /chat` (`metrics:"sync"`) on our worker under
 * workerd → its `waitUntil` publish → `partykit dev` → every partysocket client. Measured from the
 * moment the JSON answer has arrived to each client's receipt of that message's `metrics` frame,
 * with 1, 100 and 1,000 clients. A second, smaller table publishes straight into the room. A third
 * streams the fake LLM's 233-word reply (two words a chunk, 5 ms apart) and times each client's first
 * partial score (40 words) from the moment the fake LLM wrote the chunk holding the 40th word.
 *
 * The clients live in watcher threads of this same script (`ROOMS_BENCH_THREADS`, default
 * {@link DEFAULT_THREADS}), not in the thread that sends the chats and reads the answers.
 */

/** Rooms to measure: how many clients, and whether they take chat progress (as the demo page) or metrics only. */
const SETUPS = [
  { clients: 1, progress: true },
  { clients: 100, progress: true },
  { clients: 1_000, progress: true },
  { clients: 1_000, progress: false },
] as const;
/** `ROOMS_BENCH_SETUPS`, e.g. `1000:metrics,1000:all`: only these setups (clients:frames). */
const ONLY_SETUPS = process.env.ROOMS_BENCH_SETUPS?.split(",").map((setup) => setup.trim());
const CHAT_SAMPLES = 100;
const DIRECT_SAMPLES = 30;
const DELIVERY_TIMEOUT_MS = 10_000;
const PARTIAL_SAMPLES = 20;
const FIRST_PARTIAL_WORDS = 40;
const RUN_DEADLINE_MS = 200_000;
const HARD_STOP_MS = 240_000;
/** One core is left to the room (workerd): more watcher threads than that only compete with it. */
const DEFAULT_THREADS = Math.max(1, Math.min(4, availableParallelism() - 1));
const THREADS = Number(process.env.ROOMS_BENCH_THREADS) || DEFAULT_THREADS;
/**
 * Where a sample's time goes: the first client's latency (worker, publish call, the room's first
 * send and one client's receipt) and the fan-out after it (last client minus first), medians over
 * the samples; then CPU per sample of the rooms' processes, our worker and the watcher threads,
 * all on the same cores.
 */
const SPLIT_HEADERS = ["first p50 ms", "fan-out p50 ms", "rooms CPU ms", "worker CPU ms", "watchers CPU ms"];
/** The columns both delivery tables (after a chat, after a direct publish) share. */
const DELIVERY_HEADERS = [
  "frames",
  "clients",
  "samples",
  "deliveries",
  "lost",
  "p50 ms",
  "p95 ms",
  "p99 ms",
  "max ms",
  "min ms",
  "< 0",
  ...SPLIT_HEADERS,
];

interface Samples {
  clients: number;
  sent: number;
  latencies: number[];
  /** Per sample: the first client's latency (worker, publish call and the room's first send). */
  firsts: number[];
  /** Per sample: last client's latency minus the first's (the fan-out). */
  spreads: number[];
  answerMs: number[];
  /** CPU per sample, in ms: the rooms' processes, our worker's workerd and the watcher threads. */
  cpu: { rooms: number; worker: number; watchers: number };
}

/** What a sample's CPU is read from. */
interface CpuMeters {
  stand: RoomsStand;
  watchers: RoomWatchers;
}

const startedAt = Date.now();

/** When the fake LLM wrote the chunk that holds a streamed reply's 40th word, by the request's model name. */
const fortiethWordAt = new Map<string, number>();

if (isMainThread) await runBench();
else if (parentPort) await runWatcherThread(workerData as WatcherThreadData, parentPort);

async function runBench(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`rooms bench: still running after ${HARD_STOP_MS / 1000} s, stopping`);
    process.exit(1);
  }, HARD_STOP_MS);
  watchdog.unref();
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

  console.log(
    `Starting the fake LLM, partykit dev and the worker under workerd (${THREADS} watcher threads)…`,
  );
  const wordsWritten = new Map<string, number>();
  const stand = await startRoomsStand({
    onChunk: (model, text) => {
      const before = wordsWritten.get(model) ?? 0;
      const after = before + text.split(/\s+/).filter(Boolean).length;
      wordsWritten.set(model, after);
      if (before < FIRST_PARTIAL_WORDS && after >= FIRST_PARTIAL_WORDS)
        fortiethWordAt.set(model, monotonicMs());
    },
  });
  const publisher = createRoomPublisher({ host: stand.rooms.url, secret: stand.secret, timeoutMs: 10_000 });
  const chatRows: string[][] = [];
  const directRows: string[][] = [];
  const partialRows: string[][] = [];
  try {
    for (const { clients, progress } of SETUPS) {
      if (Date.now() - startedAt > RUN_DEADLINE_MS) break;
      const frames = progress ? "all" : "metrics";
      if (ONLY_SETUPS && !ONLY_SETUPS.includes(`${clients}:${frames}`)) continue;
      const room = `bench-${clients}-${Date.now().toString(36)}`;
      const connectStarted = monotonicMs();
      const watchers = await RoomWatchers.connect({
        apiUrl: stand.apiUrl,
        room,
        clients,
        threads: THREADS,
        progress,
        threadScript: new URL(import.meta.url),
      });
      const connectSeconds = (monotonicMs() - connectStarted) / 1_000;
      try {
        await chatSample(stand, room, 0, watchers, progress);
        const meters = { stand, watchers };
        // Chats and direct publishes alternate, so that both see the same machine and the ratio holds.
        const [chat, direct] = await measure(clients, meters, [
          {
            count: CHAT_SAMPLES,
            sample: (index) => chatSample(stand, room, index + 1, watchers, progress),
          },
          {
            count: DIRECT_SAMPLES,
            sample: (index) => directSample(publisher, room, `direct-${index}`, watchers),
          },
        ]);
        if (!chat || !direct) throw new Error("measure() answers one result per kind of sample");
        chatRows.push([
          frames,
          ...deliveryCells(chat),
          ...splitCells(chat),
          fixed(percentile(sorted(chat.answerMs), 0.5), 1),
          fixed(connectSeconds, 1),
        ]);
        directRows.push([frames, ...deliveryCells(direct), ...splitCells(direct)]);
        if (clients <= 100) {
          const [partial] = await measure(clients, meters, [
            { count: PARTIAL_SAMPLES, sample: (index) => partialSample(stand, { room, index, watchers }) },
          ]);
          if (partial) partialRows.push(deliveryCells(partial));
        }
        console.log(
          `  ${clients} client(s), ${frames} frames, done after ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
        );
      } finally {
        await watchers.close();
      }
    }
  } finally {
    await stand.stop();
    clearTimeout(watchdog);
  }

  printTable(
    [...DELIVERY_HEADERS, "answer p50 ms", "connect s"],
    chatRows,
    'Chat answer → metrics frame at every client (POST /chat, metrics:"sync"; negative = frame before answer)',
  );
  printTable(
    DELIVERY_HEADERS,
    directRows,
    "Direct publish call → metrics frame at every client (the room's share alone)",
  );

  printTable(
    ["clients", "samples", "deliveries", "lost", "p50 ms", "p95 ms", "p99 ms", "max ms", "min ms", "< 0"],
    partialRows,
    `40th word written by the fake LLM → first partial metrics frame at every client (streamed POST /chat, ${FIRST_PARTIAL_WORDS} words)`,
  );
  if (partialRows.length > 0) {
    const worstPartial = Math.max(...partialRows.map((row) => Number(row[7])));
    console.log(
      `target: first partial at room watchers within 100 ms of the 40th word leaving the provider (max): ` +
        `${worstPartial.toFixed(1)} ms → ${worstPartial <= 100 ? "met" : "NOT met"}`,
    );
  }
  for (const [frames, , , , lost, , , p99] of chatRows.filter((row) => row[1] === "1000")) {
    console.log(
      `target: chat answer → metrics at 1,000 room watchers (${frames} frames), p99 ≤ 100 ms: ${p99} ms → ` +
        `${Number(p99) <= 100 && lost === "0" ? "met" : "NOT met"}`,
    );
  }
}

interface SampleResult {
  latencies: number[];
  answerMs?: number;
}

interface SampleKind {
  count: number;
  sample: (index: number) => Promise<SampleResult>;
}

/**
 * Takes `count` samples of each kind, one of each kind in turn (so that every kind sees the same
 * machine), and reads the CPU of each side around each sample, outside the timed part.
 */
async function measure(clients: number, meters: CpuMeters, kinds: SampleKind[]): Promise<Samples[]> {
  const results = kinds.map(
    (): Samples => ({
      clients,
      sent: 0,
      latencies: [],
      firsts: [],
      spreads: [],
      answerMs: [],
      cpu: { rooms: 0, worker: 0, watchers: 0 },
    }),
  );
  const cpuUsed = results.map(() => ({ rooms: 0, worker: 0, watchers: 0 }));
  for (let index = 0; Date.now() - startedAt < RUN_DEADLINE_MS; index++) {
    const due = kinds.flatMap((kind, which) => (index < kind.count ? [which] : []));
    if (due.length === 0) break;
    for (const which of due) {
      const result = results[which] as Samples;
      const used = cpuUsed[which] as Samples["cpu"];
      const before = await cpuNow(meters);
      const { latencies, answerMs } = await (kinds[which] as SampleKind).sample(index);
      const after = await cpuNow(meters);
      used.rooms += after.rooms - before.rooms;
      used.worker += after.worker - before.worker;
      used.watchers += after.watchers - before.watchers;
      result.sent++;
      result.latencies.push(...latencies);
      if (latencies.length > 0) {
        const first = Math.min(...latencies);
        result.firsts.push(first);
        result.spreads.push(Math.max(...latencies) - first);
      }
      if (answerMs !== undefined) result.answerMs.push(answerMs);
    }
  }
  for (const [which, result] of results.entries()) {
    const used = cpuUsed[which] as Samples["cpu"];
    const perSample = (ms: number) => ms / Math.max(1, result.sent);
    result.cpu = {
      rooms: perSample(used.rooms),
      worker: perSample(used.worker),
      watchers: perSample(used.watchers),
    };
  }
  return results;
}

async function cpuNow({ stand, watchers }: CpuMeters): Promise<Samples["cpu"]> {
  const [rooms, worker, watcherThreads] = await Promise.all([
    stand.roomsCpuMs(),
    stand.workerCpuMs(),
    watchers.cpuMs(),
  ]);
  return { rooms, worker, watchers: watcherThreads };
}

/** `POST /chat` on our worker. */
function postChat({ apiUrl }: Pick<RoomsStand, "apiUrl">, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${apiUrl}/chat`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/**
 * One chat through the API; latencies are receipt minus the moment its JSON answer was parsed. With
 * chat progress, waits for the chat's closing `status` frame too, so that one sample's broadcasts
 * never overlap the next (without it, the metrics frame is the last one the clients get).
 */
async function chatSample(
  { apiUrl }: RoomsStand,
  room: string,
  index: number,
  watchers: RoomWatchers,
  progress: boolean,
): Promise<SampleResult> {
  const sentAt = monotonicMs();
  const response = await postChat(
    { apiUrl },
    {
      message: `Sample ${index}: how quickly do metrics reach the room?`,
      conversationId: room,
      metrics: "sync",
    },
  );
  const answer = (await response.json()) as { id?: string; metricsStatus?: string };
  const answeredAt = monotonicMs();
  if (!response.ok || !answer.id || answer.metricsStatus !== "ready") {
    throw new Error(`POST /chat answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
  }
  const receipts = await watchers.metricsOf(answer.id, DELIVERY_TIMEOUT_MS);
  if (progress) await watchers.settledOf(answer.id, DELIVERY_TIMEOUT_MS);
  return { latencies: receipts.map((receivedAt) => receivedAt - answeredAt), answerMs: answeredAt - sentAt };
}

/** One streamed chat of the long reply; latencies from the fake LLM writing the 40th word to each client's first partial. */
async function partialSample(
  stand: RoomsStand,
  sample: { room: string; index: number; watchers: RoomWatchers },
): Promise<SampleResult> {
  const { room, index, watchers } = sample;
  const model = `long-paced:${room}-${index}`;
  const response = await postChat(stand, {
    message: `Partial sample ${index}`,
    conversationId: room,
    provider: "groq",
    model,
    stream: true,
  });
  const body = await response.text();
  const messageId = /"id":"([^"]+)"/.exec(body)?.[1];
  if (!response.ok || !messageId || !body.includes("event: done"))
    throw new Error(`streamed POST /chat answered ${response.status}: ${body.slice(0, 300)}`);
  const receipts = await watchers.partialOf(messageId, FIRST_PARTIAL_WORDS, DELIVERY_TIMEOUT_MS);
  await watchers.settledOf(messageId, DELIVERY_TIMEOUT_MS);
  const writtenAt = fortiethWordAt.get(model);
  if (writtenAt === undefined) throw new Error(`the fake LLM never wrote the 40th word for ${model}`);
  return { latencies: receipts.map((receivedAt) => receivedAt - writtenAt) };
}

/** One message POSTed straight into the room, as the worker's publisher does; latencies from the call. */
async function directSample(
  rooms: RoomPublisher,
  room: string,
  messageId: string,
  watchers: RoomWatchers,
): Promise<SampleResult> {
  const sentAt = monotonicMs();
  await rooms.publish(room, sampleMetrics(room, messageId));
  const receipts = await watchers.metricsOf(messageId, DELIVERY_TIMEOUT_MS);
  return { latencies: receipts.map((receivedAt) => receivedAt - sentAt) };
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

function deliveryCells({ clients, sent, latencies }: Samples): string[] {
  const ordered = sorted(latencies);
  const lost = sent * clients - ordered.length;
  return [
    String(clients),
    String(sent),
    String(ordered.length),
    String(lost),
    fixed(percentile(ordered, 0.5), 1),
    fixed(percentile(ordered, 0.95), 1),
    fixed(percentile(ordered, 0.99), 1),
    fixed(ordered.at(-1), 1),
    fixed(ordered[0], 1),
    String(ordered.filter((latency) => latency < 0).length),
  ];
}

function splitCells({ firsts, spreads, cpu }: Samples): string[] {
  return [
    fixed(percentile(sorted(firsts), 0.5), 1),
    fixed(percentile(sorted(spreads), 0.5), 1),
    fixed(cpu.rooms, 1),
    fixed(cpu.worker, 1),
    fixed(cpu.watchers, 1),
  ];
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
