/**
 * Measures the local AI-text detector out of fold, beside a plain bag-of-words naive-Bayes baseline
 * fitted on the same texts with the same weights and splits, and writes the table into
 * docs/ANALYZER.md between the `eval:detector` markers (a rerun replaces it). Deterministic.
 * Run after npm run fit:detector: npm run eval:detector
 */
import { readFileSync, writeFileSync } from "node:fs";
import { type Calibration, plattScaling, safeThreshold } from "./detector/calibration.ts";
import { auroc, detectionAtFalsePositiveRate, shareBelow } from "./detector/statistics.ts";

const {
  BROWN,
  DetectorFit,
  HELD_OUT_DOMAINS,
  crossValidationSplits,
  domainBalancedWeights,
  firstWords,
  leaveOneDomainOutSplits,
  loadExamples,
  prepare,
} = await import("./detector/pipeline.ts");
type Prepared = import("./detector/pipeline.ts").Prepared;
const { unfamiliarity } = await import("../src/analysis/local/detector.ts");

const WEIGHTS = new URL("../src/analysis/local/weights.json", import.meta.url);
const DOCUMENT = new URL("../docs/ANALYZER.md", import.meta.url);
const START = "<!-- eval:detector:start -->";
const END = "<!-- eval:detector:end -->";
/** Prefix lengths (words) at which short-text AUROC is measured. */
const PREFIXES = [25, 50, 75, 100] as const;
const MAXIMUM_FALSE_POSITIVE_RATE = 0.05;
const DEV_DOMAINS = ["xsum-news", "writingprompts-story"];

const shipped = JSON.parse(readFileSync(WEIGHTS, "utf8")) as {
  threshold: number;
  calibration: Calibration;
  unfamiliar_above: number;
};
const examples = loadExamples();
const all = examples.map((_, index) => index);
const labelled = all.filter((index) => examples[index]?.domain !== BROWN);
const fit = new DetectorFit(
  examples,
  examples.map((example) => prepare(example.text)),
);
const prefixPrepared = new Map<number, Map<number, Prepared>>(
  PREFIXES.map((length) => [
    length,
    new Map(labelled.map((index) => [index, prepare(firstWords(examples[index]?.text as string, length))])),
  ]),
);

/**
 * Out-of-fold log-odds of every text under one scheme, whole and cut to each prefix length, and
 * whether the fold's model found the text unfamiliar (low-confidence).
 */
interface Scores {
  whole: number[];
  prefix: Map<number, number[]>;
  /** Undefined for a scorer without an unfamiliar-text check (the baseline). */
  unfamiliar: boolean[] | undefined;
}

interface Scorer<Model> {
  fit(indexes: number[], seed: number): Model;
  logit(model: Model, index: number, prefixLength?: number): number;
  unfamiliar?(model: Model, index: number): boolean;
}

/** Out-of-fold scores over the splits the detector's own fit uses (scripts/detector/pipeline.ts). */
function outOfFold<Model>(scorer: Scorer<Model>): { crossValidated: Scores; outOfDomain: Scores } {
  const empty = (): Scores => ({
    whole: new Array<number>(examples.length).fill(Number.NaN),
    prefix: new Map(PREFIXES.map((length) => [length, new Array<number>(examples.length).fill(Number.NaN)])),
    unfamiliar: scorer.unfamiliar ? new Array<boolean>(examples.length).fill(false) : undefined,
  });
  const score = (scores: Scores, model: Model, test: readonly number[]) => {
    for (const index of test) {
      scores.whole[index] = scorer.logit(model, index);
      if (scores.unfamiliar && scorer.unfamiliar) scores.unfamiliar[index] = scorer.unfamiliar(model, index);
      if (examples[index]?.domain === BROWN) continue;
      for (const length of PREFIXES)
        (scores.prefix.get(length) as number[])[index] = scorer.logit(model, index, length);
    }
  };
  const crossValidated = empty();
  for (const { train, test, seed } of crossValidationSplits(examples))
    score(crossValidated, scorer.fit(train, seed), test);
  const outOfDomain = empty();
  for (const { train, test, seed } of leaveOneDomainOutSplits(examples))
    score(outOfDomain, scorer.fit(train, seed), test);
  return { crossValidated, outOfDomain };
}

const detector: Scorer<ReturnType<typeof fit.fit>> = {
  fit: (indexes, seed) => fit.fit(indexes, seed),
  logit: (model, index, length) =>
    fit.logit(
      model,
      (length === undefined ? fit.prepared[index] : prefixPrepared.get(length)?.get(index)) as Prepared,
    ),
  unfamiliar: (model, index) =>
    unfamiliarity(model.model, fit.features(fit.prepared[index] as Prepared, model.tables)) >
    shipped.unfamiliar_above,
};

/** Word 1–2-grams of a text, lowercased, each counted once. */
function bagOfWords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
  const grams = new Set<string>(words);
  for (let index = 1; index < words.length; index += 1) grams.add(`${words[index - 1]} ${words[index]}`);
  return grams;
}

/**
 * The baseline: Bernoulli-style naive Bayes over word 1–2-grams (add-one smoothing), trained on the
 * same texts with the same domain-balanced weights; log-odds = sum of the log-count ratios of the
 * text's known n-grams divided by their number.
 */
const baseline: Scorer<Map<string, number>> = {
  fit(indexes) {
    const weights = domainBalancedWeights(examples, indexes);
    const counts = [new Map<string, number>(), new Map<string, number>()];
    const totals = [0, 0];
    indexes.forEach((index, position) => {
      const example = examples[index] as (typeof examples)[number];
      const weight = weights[position] as number;
      totals[example.human] = (totals[example.human] as number) + weight;
      const table = counts[example.human] as Map<string, number>;
      for (const gram of bagOfWords(example.text)) table.set(gram, (table.get(gram) ?? 0) + weight);
    });
    const [ai, human] = counts as [Map<string, number>, Map<string, number>];
    const ratios = new Map<string, number>();
    for (const gram of new Set([...ai.keys(), ...human.keys()]))
      ratios.set(
        gram,
        Math.log(((human.get(gram) ?? 0) + 1) / ((totals[1] as number) + 2)) -
          Math.log(((ai.get(gram) ?? 0) + 1) / ((totals[0] as number) + 2)),
      );
    return ratios;
  },
  logit(ratios, index, length) {
    const text = examples[index]?.text as string;
    let sum = 0;
    let known = 0;
    for (const gram of bagOfWords(length === undefined ? text : firstWords(text, length))) {
      const ratio = ratios.get(gram);
      if (ratio === undefined) continue;
      sum += ratio;
      known += 1;
    }
    return known === 0 ? 0 : sum / known;
  },
};

const indexesOf = (domains: readonly string[]) =>
  all.filter((index) => domains.includes(examples[index]?.domain as string));
const labelsOf = (indexes: readonly number[]) => indexes.map((index) => examples[index]?.human as number);
const pick = (values: readonly number[], indexes: readonly number[]) =>
  indexes.map((index) => values[index] as number);
const calibrate = ({ slope, offset }: Calibration, logits: readonly number[]) =>
  logits.map((logit) => 100 / (1 + Math.exp(-(slope * logit + offset))));

/** Platt scaling and the safe threshold for a scorer whose thresholds are not shipped (the baseline). */
function ownCalibration(outOfDomain: Scores): { calibration: Calibration; threshold: number } {
  const indexes = indexesOf(HELD_OUT_DOMAINS);
  const calibration = plattScaling(pick(outOfDomain.whole, indexes), labelsOf(indexes));
  const threshold = safeThreshold(
    HELD_OUT_DOMAINS.map((domain) => {
      const inDomain = indexesOf([domain]);
      return {
        scores: calibrate(calibration, pick(outOfDomain.whole, inDomain)),
        labels: labelsOf(inDomain),
      };
    }),
    MAXIMUM_FALSE_POSITIVE_RATE,
  );
  return { calibration, threshold };
}

const percent = (value: number) => `${(100 * value).toFixed(1)} %`;
const short = (domain: string) => domain.split("-")[0] as string;

/** The table's rows for one scorer, in order: [label, value]. */
function rowsOf(
  { crossValidated, outOfDomain }: { crossValidated: Scores; outOfDomain: Scores },
  { calibration, threshold }: { calibration: Calibration; threshold: number },
): [string, string][] {
  const aurocOf = (values: readonly number[], indexes: readonly number[]) =>
    auroc(pick(values, indexes), labelsOf(indexes)).toFixed(3);
  const dev = indexesOf(DEV_DOMAINS);
  const rows: [string, string][] = [
    ["Grouped 5-fold CV AUROC, detect-dev (xsum + writingprompts)", aurocOf(crossValidated.whole, dev)],
    ...DEV_DOMAINS.map((domain): [string, string] => [
      `  CV AUROC, ${short(domain)} only`,
      aurocOf(crossValidated.whole, indexesOf([domain])),
    ]),
    ["  CV AUROC, squad (in training)", aurocOf(crossValidated.whole, indexesOf(["squad-wikipedia"]))],
    ...HELD_OUT_DOMAINS.map((domain): [string, string] => [
      `LODO AUROC, ${short(domain)} held out`,
      `**${aurocOf(outOfDomain.whole, indexesOf([domain]))}**`,
    ]),
  ];
  for (const rate of [0.01, 0.05]) {
    const cv = detectionAtFalsePositiveRate(pick(crossValidated.whole, dev), labelsOf(dev), rate);
    const lodo = HELD_OUT_DOMAINS.map((domain) => {
      const indexes = indexesOf([domain]);
      return percent(detectionAtFalsePositiveRate(pick(outOfDomain.whole, indexes), labelsOf(indexes), rate));
    });
    rows.push([
      `TPR at ${100 * rate} % FPR: CV dev · LODO xsum / writingprompts / squad`,
      `${percent(cv)} · ${lodo.join(" / ")}`,
    ]);
  }
  const heldOut = indexesOf(HELD_OUT_DOMAINS);
  const calibratedOutOfDomain = calibrate(calibration, pick(outOfDomain.whole, heldOut));
  // Bands of 20 points; the last one includes 100.
  const bands = [20, 40, 60, 80, 100.01].map((upper) => {
    const lower = upper === 100.01 ? 80 : upper - 20;
    const inBand = heldOut.filter((_, position) => {
      const score = calibratedOutOfDomain[position] as number;
      return score >= lower && score < upper;
    });
    const humans = labelsOf(inBand).filter((label) => label === 1).length;
    return inBand.length === 0 ? "–" : `${Math.round((100 * humans) / inBand.length)} % of ${inBand.length}`;
  });
  rows.push([
    "Calibration, LODO pooled: human share of texts scoring 0–20 / 20–40 / 40–60 / 60–80 / 80–100",
    bands.join(" / "),
  ]);
  rows.push(["Threshold (score below it = AI)", String(threshold)]);
  for (const domain of HELD_OUT_DOMAINS) {
    const indexes = indexesOf([domain]);
    const describe = (scores: Scores) => {
      const calibrated = calibrate(calibration, pick(scores.whole, indexes));
      return `${percent(shareBelow(calibrated, labelsOf(indexes), 1, threshold))} / ${percent(shareBelow(calibrated, labelsOf(indexes), 0, threshold))}`;
    };
    rows.push([`${short(domain)}: human FPR / AI detected, held out (LODO)`, describe(outOfDomain)]);
    rows.push([`${short(domain)}: human FPR / AI detected, in training (CV)`, describe(crossValidated)]);
  }
  const unfamiliar = ({ unfamiliar: flags }: Scores, indexes: readonly number[]) =>
    flags ? percent(indexes.filter((index) => flags[index]).length / indexes.length) : "—";
  rows.push([
    "Marked unfamiliar_text (low confidence): LODO xsum / writingprompts / squad",
    HELD_OUT_DOMAINS.map((domain) => unfamiliar(outOfDomain, indexesOf([domain]))).join(" / "),
  ]);
  const brown = indexesOf([BROWN]);
  rows.push([
    "Brown passages: human FPR (CV)",
    percent(
      shareBelow(calibrate(calibration, pick(crossValidated.whole, brown)), labelsOf(brown), 1, threshold),
    ),
  ]);
  for (const length of PREFIXES) {
    const values = crossValidated.prefix.get(length) as number[];
    const lodo = outOfDomain.prefix.get(length) as number[];
    rows.push([
      `First ${length} words: AUROC CV dev · LODO xsum / writingprompts / squad`,
      `${aurocOf(values, dev)} · ${HELD_OUT_DOMAINS.map((domain) => aurocOf(lodo, indexesOf([domain]))).join(" / ")}`,
    ]);
  }
  return rows;
}

const detectorScores = outOfFold(detector);
const baselineScores = outOfFold(baseline);
const detectorRows = rowsOf(detectorScores, shipped);
const baselineRows = rowsOf(baselineScores, ownCalibration(baselineScores.outOfDomain));
const counts = HELD_OUT_DOMAINS.map((domain) => {
  const indexes = indexesOf([domain]);
  const humans = labelsOf(indexes).filter((label) => label === 1).length;
  return `${short(domain)} ${humans} + ${indexes.length - humans}`;
}).join(", ");
const table = [
  `Texts (human + AI): ${counts}; Brown passages ${indexesOf([BROWN]).length} (human). Generated by \`npm run eval:detector\`.`,
  "",
  "| measure (out of fold) | detector | baseline: naive Bayes, word 1–2-grams |",
  "| --- | ---: | ---: |",
  ...detectorRows.map(([label, value], row) => `| ${label} | ${value} | ${baselineRows[row]?.[1]} |`),
].join("\n");
console.log(table);

const document = readFileSync(DOCUMENT, "utf8");
const start = document.indexOf(START);
const end = document.indexOf(END);
if (start < 0 || end < start) {
  console.error(`docs/ANALYZER.md has no ${START} … ${END} markers; the table was not written.`);
  process.exit(1);
}
writeFileSync(DOCUMENT, `${document.slice(0, start + START.length)}\n${table}\n${document.slice(end)}`);
console.log("wrote the table into docs/ANALYZER.md");
