/**
 * Partial metrics (issue 14): a 600-word reply streamed in 150 chunks, scored every 40 words.
 * 1. Analysis CPU in this process: the partial scores plus the final one-shot analysis, against the
 *    final analysis alone (target ≤ 2×), beside re-analysing the whole text for every partial.
 * 2. Through `workerd serve`: first token, stream end and workerd CPU per request, partials on
 *    (`PARTIAL_METRICS_EVERY_WORDS=40`) and off (`0`), both with `metrics: "sync"` (target: first
 *    token and end within 1 ms of off). Part of `npm run bench:stream`.
 */
import { cpuUsage } from "node:process";
import { registerExtensionlessResolution } from "../scripts/detector/resolve-extensionless.ts";
import { replyText } from "./fake-upstream.ts";
import { ourVars, startStand } from "./lib/stand.ts";
import { spread } from "./lib/stats.ts";
import { measureStreams, ourToken, type StreamTarget } from "./lib/streams.ts";
import { delta, fixed, printTable } from "./lib/table.ts";
import { chatTarget } from "./lib/targets.ts";
import { serveWorker } from "./lib/workerd.ts";
import type { StreamPlan } from "./stream.ts";

registerExtensionlessResolution();
const { analyzeLocally } = await import("../src/analysis/local/index.ts");
const { startIncrementalAnalysis } = await import("../src/analysis/local/incremental.ts");

const REPLY_WORDS = 600;
const CHUNKS = 150;
const EVERY_WORDS = 40;

/** The reply as the upstream streams it: 150 chunks of four words. */
function replyChunks(): string[] {
  const words = replyText(REPLY_WORDS).split(" ");
  const per = REPLY_WORDS / CHUNKS;
  return Array.from({ length: CHUNKS }, (_, index) => {
    const chunk = words.slice(index * per, (index + 1) * per).join(" ");
    return index < CHUNKS - 1 ? `${chunk} ` : chunk;
  });
}

/** CPU µs per call of `work`, the best of several rounds (the machine is shared). */
function cpuMicros(work: () => void, calls: number): number {
  for (let index = 0; index < 20; index += 1) work();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 7; round += 1) {
    const before = cpuUsage();
    for (let index = 0; index < calls; index += 1) work();
    const used = cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / calls);
  }
  return best;
}

function printAnalysisCpu(): void {
  const chunks = replyChunks();
  const text = chunks.join("");
  const partialsEvery = (score: (soFar: string) => void, append: (chunk: string) => void) => {
    let words = 0;
    let soFar = "";
    for (const chunk of chunks) {
      append(chunk);
      soFar += chunk;
      const before = words;
      words += chunk.split(" ").filter(Boolean).length;
      if (Math.floor(words / EVERY_WORDS) > Math.floor(before / EVERY_WORDS) && words < REPLY_WORDS)
        score(soFar);
    }
  };
  const single = cpuMicros(() => analyzeLocally(text), 40);
  const incremental = cpuMicros(() => {
    const analysis = startIncrementalAnalysis();
    partialsEvery(
      () => analysis.metrics(),
      (chunk) => analysis.append(chunk),
    );
    analyzeLocally(text);
  }, 10);
  const whole = cpuMicros(() => {
    partialsEvery(
      (soFar) => analyzeLocally(soFar),
      () => undefined,
    );
    analyzeLocally(text);
  }, 10);
  const partials = Math.floor((REPLY_WORDS - 1) / EVERY_WORDS);
  printTable(
    ["analysis of one streamed reply", "CPU µs", "× final alone"],
    [
      ["final analysis alone (partials off)", fixed(single), "1.00"],
      [`${partials} incremental partials + final`, fixed(incremental), (incremental / single).toFixed(2)],
      [`${partials} whole-text partials + final`, fixed(whole), (whole / single).toFixed(2)],
    ],
    `Partial metrics: analysis CPU, ${REPLY_WORDS}-word reply in ${CHUNKS} chunks, every ${EVERY_WORDS} words (this process)`,
  );
  const factor = incremental / single;
  console.log(
    `target: total analysis CPU ≤ 2× the final analysis: ${factor.toFixed(2)}× → ${factor <= 2 ? "met" : "NOT met"}`,
  );
}

/** First token, end and worker CPU of streamed chats through workerd, partials on and off. */
export async function runPartialMetricsBench(plan: StreamPlan): Promise<void> {
  printAnalysisCpu();
  const stand = await startStand({ replyWords: REPLY_WORDS, chunks: CHUNKS });
  const off = await serveWorker(stand.builds.ours, {
    vars: ourVars(stand.upstream, { PARTIAL_METRICS_EVERY_WORDS: "0" }),
    configName: "partials-off.capnp",
  });
  try {
    const workers = [
      { name: "ours partials off", served: off },
      { name: `ours partials every ${EVERY_WORDS} words`, served: stand.ours },
    ];
    const targets: StreamTarget[] = workers.map(({ name, served }) => ({
      target: chatTarget(name, served.url, { stream: true, metrics: "sync" }),
      hasFirstToken: ourToken,
    }));
    const cpuBefore = await Promise.all(workers.map(({ served }) => served.cpuMs()));
    const samples = await measureStreams(targets, plan.pacedRequests * 3, Date.now() + plan.deadlineMs);
    const cpuAfter = await Promise.all(workers.map(({ served }) => served.cpuMs()));
    const firsts = samples.map((list) => spread(list.map((sample) => sample.firstToken)).p50);
    const ends = samples.map((list) => spread(list.map((sample) => sample.end)).p50);
    const rows = workers.map(({ name }, index) => {
      // Five warm-up rounds are not in the samples but are in the CPU figure.
      const requests = (samples[index]?.length ?? 0) + 5;
      return [
        name,
        String(samples[index]?.length ?? 0),
        fixed(firsts[index], 3),
        delta(firsts[index] ?? 0, firsts[0] ?? 0, 3),
        fixed(ends[index], 3),
        delta(ends[index] ?? 0, ends[0] ?? 0, 3),
        fixed(((cpuAfter[index] ?? 0) - (cpuBefore[index] ?? 0)) / requests, 2),
      ];
    });
    printTable(
      ["target", "n", "1st token p50", "vs off", "end p50", "vs off", "workerd CPU ms/req"],
      rows,
      `Partial metrics: ${REPLY_WORDS}-word reply in ${CHUNKS} chunks back to back, metrics "sync" (ms from send)`,
    );
    const firstAdded = (firsts[1] ?? 0) - (firsts[0] ?? 0);
    const endAdded = (ends[1] ?? 0) - (ends[0] ?? 0);
    const met = Math.abs(firstAdded) <= 1 && endAdded <= 1;
    console.log(
      `target: first token and stream end within 1 ms of partials off (p50): first ${firstAdded.toFixed(3)} ms, ` +
        `end ${endAdded.toFixed(3)} ms → ${met ? "met" : "NOT met"}`,
    );
  } finally {
    await off.stop();
    await stand.stop();
  }
}
