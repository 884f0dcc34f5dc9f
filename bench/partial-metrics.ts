/**
 * Partial metrics (issue 14): a 600-word reply streamed in 150 chunks, scored every 40 words.
 * 1. Analysis CPU in this process (`partial-analysis.ts`, also `npm run bench:partials`): the
 *    partial scores plus the final one from one incremental analysis, against the final analysis
 *    alone (target ≤ 2×), beside re-analysing the whole text for every partial.
 * 2. Through `workerd serve`: first token, stream end and workerd CPU per request, partials on
 *    (`PARTIAL_METRICS_EVERY_WORDS=40`) and off (`0`), both with `metrics: "sync"` (target: first
 *    token and end within 1 ms of off). Part of `npm run bench:stream`.
 */

import { ourVars, startStand } from "./lib/stand.ts";
import { spread } from "./lib/stats.ts";
import { measureStreams, ourToken, type StreamTarget } from "./lib/streams.ts";
import { delta, fixed, printTable } from "./lib/table.ts";
import { chatTarget } from "./lib/targets.ts";
import { serveWorker } from "./lib/workerd.ts";
import { CHUNKS, EVERY_WORDS, printAnalysisCpu, REPLY_WORDS } from "./partial-analysis.ts";
import type { StreamPlan } from "./stream.ts";

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
