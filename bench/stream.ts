import { startStand } from "./lib/stand.ts";
import { spread } from "./lib/stats.ts";
import { measureStreams, ourToken, type StreamSample, type StreamTarget } from "./lib/streams.ts";
import { delta, fixed, printTable } from "./lib/table.ts";
import { chatTarget, directTarget, openAITarget } from "./lib/targets.ts";
import { runPartialMetricsBench } from "./partial-metrics.ts";

/** How much a streaming run measures. */
export interface StreamPlan {
  /** Requests per target in the instant scenario (chunks back to back). */
  instantRequests: number;
  /** Requests per target in the paced scenario (chunks `pacedSpacingMs` apart). */
  pacedRequests: number;
  deadlineMs: number;
}

export const STREAM_PLANS: Record<"quick" | "full", StreamPlan> = {
  quick: { instantRequests: 150, pacedRequests: 10, deadlineMs: 60_000 },
  full: { instantRequests: 600, pacedRequests: 40, deadlineMs: 150_000 },
};

const CHUNKS = 30;
const REPLY_WORDS = 150;
const PACED_SPACING_MS = 10;
const BASELINE = "baseline (bare Hono proxy)";
const OURS_OFF = 'ours metrics:"off"';
/** The bare proxy relaying the stream chunk by chunk through JS: the floor for any gateway reading tokens. */
const RELAY = "baseline, stream relayed in JS";

const openAiToken = (body: string) => /"content":"[^"]/.test(body);

/** Time to headers, first content token and end of stream: upstream direct, bare proxy and ours. */
export async function runStreamBench(plan: StreamPlan): Promise<void> {
  const stopAt = Date.now() + plan.deadlineMs;
  console.log(
    `\n# Streaming: fake upstream, ${REPLY_WORDS}-word reply in ${CHUNKS} SSE chunks; requests interleaved, one at a time`,
  );
  const stand = await startStand({ replyWords: REPLY_WORDS, chunks: CHUNKS });
  try {
    for (const spacing of [0, PACED_SPACING_MS]) {
      const model = spacing ? `openai/gpt-oss-20b;spacing=${spacing}` : undefined;
      // A model not in the provider's list goes nowhere unless the provider is named too.
      const pinned = model ? { provider: "groq", model } : {};
      const targets: StreamTarget[] = [
        {
          target: directTarget(stand.upstream.groqBaseUrl, { stream: true, model }),
          hasFirstToken: openAiToken,
        },
        {
          target: chatTarget(BASELINE, stand.baseline.url, { stream: true, model }),
          hasFirstToken: openAiToken,
        },
        {
          target: chatTarget(RELAY, stand.baseline.url, {
            stream: true,
            model: model ? `relay-in-js;spacing=${spacing}` : "relay-in-js",
          }),
          hasFirstToken: openAiToken,
        },
        {
          target: chatTarget(OURS_OFF, stand.ours.url, { stream: true, metrics: "off", ...pinned }),
          hasFirstToken: ourToken,
        },
        {
          target: chatTarget("ours local metrics", stand.ours.url, {
            stream: true,
            metrics: "sync",
            ...pinned,
          }),
          hasFirstToken: ourToken,
        },
        {
          target: openAITarget("ours /v1 X-Metrics: off", stand.ours.url, "off", { stream: true, model }),
          hasFirstToken: openAiToken,
        },
      ];
      const requests = spacing ? plan.pacedRequests : plan.instantRequests;
      const title = spacing ? `chunks ${spacing} ms apart` : "chunks back to back";
      printStreamTable(title, targets, await measureStreams(targets, requests, stopAt));
    }
  } finally {
    await stand.stop();
  }
  await runPartialMetricsBench(plan);
}

function printStreamTable(title: string, targets: StreamTarget[], samples: StreamSample[][]): void {
  const baseIndex = targets.findIndex(({ target }) => target.name === BASELINE);
  const baseFirst = spread((samples[baseIndex] ?? []).map((sample) => sample.firstToken)).p50;
  const rows = targets.map(({ target }, index) => {
    const list = samples[index] ?? [];
    const headers = spread(list.map((sample) => sample.headers));
    const first = spread(list.map((sample) => sample.firstToken));
    const end = spread(list.map((sample) => sample.end));
    return [
      target.name,
      String(list.length),
      fixed(headers.p50, 3),
      fixed(first.p50, 3),
      fixed(first.p90, 3),
      delta(first.p50, baseFirst, 3),
      fixed(end.p50, 3),
      fixed(end.p90, 3),
    ];
  });
  printTable(
    ["target", "n", "headers p50", "1st token p50", "1st token p90", "1st vs base", "end p50", "end p90"],
    rows,
    `Streaming, ${title} (ms from send)`,
  );
  const oursIndex = targets.findIndex(({ target }) => target.name === OURS_OFF);
  const added = spread((samples[oursIndex] ?? []).map((sample) => sample.firstToken)).p50 - baseFirst;
  console.log(
    `target: first content token ≤ 1 ms later than the bare proxy (p50): ${added.toFixed(3)} ms → ${added <= 1 ? "met" : "NOT met"}`,
  );
  const baseHeaders = spread((samples[baseIndex] ?? []).map((sample) => sample.headers)).p50;
  const later = spread((samples[oursIndex] ?? []).map((sample) => sample.headers)).p50 - baseHeaders;
  console.log(
    `target: headers ≤ 1 ms later than the bare proxy's (p50): ${later.toFixed(3)} ms → ${later <= 1 ? "met" : "NOT met"}`,
  );
}

if (import.meta.main) {
  await runStreamBench(process.argv.includes("--quick") ? STREAM_PLANS.quick : STREAM_PLANS.full);
}
