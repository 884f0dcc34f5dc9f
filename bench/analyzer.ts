/**
 * CPU time of one local analysis for 100, 130 (a typical chat reply, where fixed costs dominate),
 * 1,000 and 10,000-word texts built from the dev set, beside the npm package text-readability
 * computing only its six readability scores on the same texts. Run: npm run bench:analyzer
 */
import { existsSync, readFileSync } from "node:fs";
import readability from "text-readability";
import { registerExtensionlessResolution } from "../scripts/detector/resolve-extensionless.ts";

registerExtensionlessResolution();
const { analyzeLocally } = await import("../src/analysis/local/index.ts");

const DEV_SET = new URL("../../shared/data/detect-dev.jsonl", import.meta.url);
const SIZES = [100, 130, 1_000, 10_000];
const WARM_UP_MS = 300;
const MEASURE_MS = 1_500;

function corpusWords(): string[] {
  if (!existsSync(DEV_SET)) {
    console.error(
      `Dev set not found at ${DEV_SET.pathname}; the shared folder must sit beside the repository.`,
    );
    process.exit(1);
  }
  return readFileSync(DEV_SET, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => (JSON.parse(line) as { text: string }).text)
    .join(" ")
    .split(" ");
}

/** Texts of `size` words, taken from successive places in the corpus so runs do not repeat one text. */
function textsOf(words: readonly string[], size: number, count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const start = (index * 997) % Math.max(1, words.length - size);
    return words.slice(start, start + size).join(" ");
  });
}

function medianMilliseconds(texts: readonly string[], work: (text: string) => unknown): number {
  const warmUpEnd = performance.now() + WARM_UP_MS;
  for (let index = 0; performance.now() < warmUpEnd; index += 1) work(texts[index % texts.length] as string);
  const samples: number[] = [];
  const end = performance.now() + MEASURE_MS;
  for (let index = 0; performance.now() < end || samples.length < 15; index += 1) {
    const text = texts[index % texts.length] as string;
    const started = performance.now();
    work(text);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

function readabilityOnly(text: string): number[] {
  return [
    readability.fleschReadingEase(text),
    readability.fleschKincaidGrade(text),
    readability.gunningFog(text),
    readability.smogIndex(text),
    readability.colemanLiauIndex(text),
    readability.automatedReadabilityIndex(text),
  ];
}

const words = corpusWords();
const rows = SIZES.map((size) => {
  const texts = textsOf(words, size, 20);
  const local = medianMilliseconds(texts, analyzeLocally);
  const library = medianMilliseconds(texts, readabilityOnly);
  return { size, local, library };
});

console.log(`node ${process.version}, median of runs over ${MEASURE_MS} ms after ${WARM_UP_MS} ms warm-up\n`);
console.log(
  "| words | analyzeLocally (all metrics + score) | text-readability (6 scores only) | text-readability ÷ ours |",
);
console.log("| ---: | ---: | ---: | ---: |");
for (const { size, local, library } of rows) {
  console.log(
    `| ${size.toLocaleString("en")} | ${local.toFixed(3)} ms | ${library.toFixed(3)} ms | ${(library / local).toFixed(1)}× |`,
  );
}
