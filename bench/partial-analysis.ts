/**
 * Partial metrics (issue 14), analysis CPU in this process: a 600-word reply streamed in 150
 * chunks and scored every 40 words by one incremental analysis (the 14 partial scores and the
 * final one, all from the same running sums), against one `analyzeLocally` of the whole reply
 * (target ≤ 2×), beside re-analysing the whole text so far for every partial. Run:
 * npm run bench:partials (also printed by npm run bench:stream).
 */
import { cpuUsage } from "node:process";
import { pathToFileURL } from "node:url";
import { registerExtensionlessResolution } from "../scripts/detector/resolve-extensionless.ts";
import { replyText } from "./fake-upstream.ts";
import { fixed, printTable } from "./lib/table.ts";

registerExtensionlessResolution();
const { analyzeLocally } = await import("../src/analysis/local/index.ts");
const { startIncrementalAnalysis } = await import("../src/analysis/local/incremental.ts");

export const REPLY_WORDS = 600;
export const CHUNKS = 150;
export const EVERY_WORDS = 40;

/** The reply as the upstream streams it: 150 chunks of four words. */
function replyChunks(): string[] {
  const words = replyText(REPLY_WORDS).split(" ");
  const per = REPLY_WORDS / CHUNKS;
  return Array.from({ length: CHUNKS }, (_, index) => {
    const chunk = words.slice(index * per, (index + 1) * per).join(" ");
    return index < CHUNKS - 1 ? `${chunk} ` : chunk;
  });
}

/**
 * CPU µs per call of each of `works` (each run `calls` times a round), the best of several rounds;
 * the rounds alternate between the works, so a load that comes and goes on the shared machine
 * weighs on all of them alike.
 */
function cpuMicros(works: readonly { work: () => void; calls: number }[]): number[] {
  for (const { work } of works) for (let index = 0; index < 20; index += 1) work();
  const best = works.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < 9; round += 1) {
    works.forEach(({ work, calls }, position) => {
      const before = cpuUsage();
      for (let index = 0; index < calls; index += 1) work();
      const used = cpuUsage(before);
      best[position] = Math.min(best[position] as number, (used.user + used.system) / calls);
    });
  }
  return best;
}

/** Prints the table and whether the 2× target is met. */
export function printAnalysisCpu(): void {
  const chunks = replyChunks();
  const text = chunks.join("");
  // Which chunks complete another `EVERY_WORDS` words (before the last): counted once, outside the
  // timed runs, as the route's word counter is not part of the analysis.
  let wordsSoFar = 0;
  const scoreAfter = chunks.map((chunk) => {
    const before = wordsSoFar;
    wordsSoFar += chunk.split(" ").filter(Boolean).length;
    return (
      Math.floor(wordsSoFar / EVERY_WORDS) > Math.floor(before / EVERY_WORDS) && wordsSoFar < REPLY_WORDS
    );
  });
  const prefixes = chunks.map((_, index) => chunks.slice(0, index + 1).join(""));
  /** Streams the chunks, scoring the text so far each time another `EVERY_WORDS` words arrived. */
  const partialsEvery = (score: (soFar: string) => void, append: (chunk: string) => void) => {
    chunks.forEach((chunk, index) => {
      append(chunk);
      if (scoreAfter[index]) score(prefixes[index] as string);
    });
  };
  const [single = 0, incremental = 0, whole = 0] = cpuMicros([
    { work: () => analyzeLocally(text), calls: 40 },
    {
      work: () => {
        const analysis = startIncrementalAnalysis();
        partialsEvery(
          () => analysis.metrics(),
          (chunk) => analysis.append(chunk),
        );
        analysis.metrics();
        analysis.release();
      },
      calls: 10,
    },
    {
      work: () => {
        partialsEvery(
          (soFar) => analyzeLocally(soFar),
          () => undefined,
        );
        analyzeLocally(text);
      },
      calls: 10,
    },
  ]);
  const partials = Math.floor((REPLY_WORDS - 1) / EVERY_WORDS);
  printTable(
    ["analysis of one streamed reply", "CPU µs", "× final alone"],
    [
      ["final analysis alone (partials off)", fixed(single), "1.00"],
      [
        `${partials} incremental partials + final (one tally)`,
        fixed(incremental),
        (incremental / single).toFixed(2),
      ],
      [`${partials} whole-text partials + final`, fixed(whole), (whole / single).toFixed(2)],
    ],
    `Partial metrics: analysis CPU, ${REPLY_WORDS}-word reply in ${CHUNKS} chunks, every ${EVERY_WORDS} words (this process)`,
  );
  const factor = incremental / single;
  console.log(
    `target: total analysis CPU ≤ 2× the final analysis: ${factor.toFixed(2)}× → ${factor <= 2 ? "met" : "NOT met"}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) printAnalysisCpu();
