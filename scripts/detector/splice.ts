/**
 * The sentence-level evaluation: per-sentence scores and the `mixed` verdict on texts spliced from
 * a human and an AI paragraph of one domain (both orders), and on the pure texts, every domain held
 * out in turn (the detector and sentence model fitted without it).
 */
import { auroc, wilsonInterval } from "./statistics.ts";

const { HELD_OUT_DOMAINS, firstLearnedSentence, fitSentenceModel, leaveOneDomainOutSplits } = await import(
  "./pipeline.ts"
);
const { analyzeSentences } = await import("../../src/analysis/local/sentences.ts");
const { tokenize } = await import("../../src/analysis/local/tokenize.ts");
type Example = import("./pipeline.ts").Example;
type DetectorFit = import("./pipeline.ts").DetectorFit;

/** Pairs spliced per domain (each in both orders), and the words of each paragraph at most. */
const PAIRS_PER_DOMAIN = 40;
const PARAGRAPH_WORDS = 90;

/** The example's own writing (a continuation without its human prompt), cut at a sentence end. */
function paragraphOf(example: Example, words = PARAGRAPH_WORDS): string {
  const tokenized = tokenize(example.text);
  const bounds = tokenized.sentenceBounds;
  const first = firstLearnedSentence(example, tokenized);
  let last = first;
  while (last < tokenized.sentences.length) {
    last += 1;
    if (
      (tokenized.sentences[last - 1]?.end as number) - (tokenized.sentences[first]?.start as number) >=
      words
    )
      break;
  }
  if (last === first) return "";
  return example.text.slice(bounds[4 * first] as number, bounds[4 * (last - 1) + 1] as number);
}

const percentWithInterval = (hits: number, total: number) => {
  if (total === 0) return "–";
  const [low, high] = wilsonInterval(hits, total);
  return `${((100 * hits) / total).toFixed(1)} % (${(100 * low).toFixed(1)}–${(100 * high).toFixed(1)}) of ${total}`;
};

export function spliceEvaluation(examples: readonly Example[], fit: DetectorFit): string[] {
  let spliced = 0;
  let splicedMixed = 0;
  let boundaryExact = 0;
  let boundaryNear = 0;
  const pure = [
    { label: 1, texts: 0, mixed: 0 },
    { label: 0, texts: 0, mixed: 0 },
  ];
  const sentenceScores: number[] = [];
  const sentenceLabels: number[] = [];
  for (const { train, test, seed, domain } of leaveOneDomainOutSplits(examples)) {
    if (!(HELD_OUT_DOMAINS as readonly string[]).includes(domain as string)) continue;
    const fitted = fit.fit(train, seed);
    const model = fitSentenceModel(examples, fit.prepared, train, fitted);
    const table = fitted.tables.functionWords;
    for (const index of test) {
      const example = examples[index] as Example;
      const text = paragraphOf(example, Number.POSITIVE_INFINITY);
      if (text === "") continue;
      const analysis = analyzeSentences(tokenize(text), model, table);
      const counts = pure[example.human === 1 ? 0 : 1] as (typeof pure)[number];
      counts.texts += 1;
      if (analysis.mixed) counts.mixed += 1;
      for (const sentence of analysis.sentences) {
        sentenceScores.push(1 - sentence.ai_probability);
        sentenceLabels.push(example.human);
      }
    }
    const humans = test.filter((index) => examples[index]?.human === 1).slice(0, PAIRS_PER_DOMAIN);
    const machines = test.filter((index) => examples[index]?.human === 0).slice(0, PAIRS_PER_DOMAIN);
    humans.forEach((human, position) => {
      const machine = machines[position];
      if (machine === undefined) return;
      const parts = [paragraphOf(examples[human] as Example), paragraphOf(examples[machine] as Example)];
      for (const [first, second] of [parts, [parts[1], parts[0]]] as [string, string][]) {
        if (first === "" || second === "") continue;
        const truth = tokenize(first).sentences.length;
        const analysis = analyzeSentences(tokenize(`${first} ${second}`), model, table);
        spliced += 1;
        if (analysis.mixed) splicedMixed += 1;
        if (analysis.boundary === truth) boundaryExact += 1;
        if (analysis.boundary !== undefined && Math.abs(analysis.boundary - truth) <= 1) boundaryNear += 1;
      }
    });
  }
  return [
    "**Sentence by sentence** (the twelve labelled domains, each held out in turn: the detector and the sentence model fitted without it)",
    "",
    "| measure | value |",
    "| --- | ---: |",
    `| AUROC of per-sentence scores, sentences of pure texts | ${auroc(sentenceScores, sentenceLabels).toFixed(3)} (${sentenceScores.length} sentences) |`,
    `| spliced texts (a human paragraph then an AI one, or the reverse, ≤ ${PARAGRAPH_WORDS} words each) called \`mixed\` | ${percentWithInterval(splicedMixed, spliced)} |`,
    `| boundary found exactly / within one sentence (strongest split, all spliced texts) | ${percentWithInterval(boundaryExact, spliced)} / ${percentWithInterval(boundaryNear, spliced)} |`,
    `| pure human texts called \`mixed\` | ${percentWithInterval(pure[0]?.mixed ?? 0, pure[0]?.texts ?? 0)} |`,
    `| pure AI texts called \`mixed\` | ${percentWithInterval(pure[1]?.mixed ?? 0, pure[1]?.texts ?? 0)} |`,
    "",
  ];
}
