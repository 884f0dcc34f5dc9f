/**
 * CPU time of one local analysis of a ~150-word chat reply: the first 150 words of each dev-set
 * text, analysed round-robin; prints the median of several timed rounds in microseconds per text.
 * Run: node bench/analyzer-short.ts
 */
import { readFileSync } from "node:fs";
import { registerExtensionlessResolution } from "../scripts/detector/resolve-extensionless.ts";

registerExtensionlessResolution();
const { analyzeLocally } = await import("../src/analysis/local/index.ts");

const DEV_SET = new URL("../../shared/data/detect-dev.jsonl", import.meta.url);
const WORDS_PER_TEXT = 150;
const ROUNDS = 15;
const WARM_UP_ROUNDS = 5;

const texts = readFileSync(DEV_SET, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => (JSON.parse(line) as { text: string }).text.split(" "))
  .filter((words) => words.length >= WORDS_PER_TEXT)
  .map((words) => words.slice(0, WORDS_PER_TEXT).join(" "));

function microsecondsPerText(): number {
  const started = performance.now();
  for (const text of texts) analyzeLocally(text);
  return ((performance.now() - started) * 1_000) / texts.length;
}

for (let round = 0; round < WARM_UP_ROUNDS; round += 1) microsecondsPerText();
const rounds = Array.from({ length: ROUNDS }, microsecondsPerText).sort((a, b) => a - b);
const median = rounds[Math.floor(rounds.length / 2)] as number;
console.log(
  `node ${process.version}: ${texts.length} texts of ${WORDS_PER_TEXT} words, median ${median.toFixed(1)} µs per analysis (min ${(rounds[0] as number).toFixed(1)})`,
);
