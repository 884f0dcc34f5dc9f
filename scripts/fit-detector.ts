/**
 * Fits the local AI-text detector on ../shared/data/detect-dev.jsonl and writes
 * src/analysis/local/weights.json plus a fixture of the first 50 scores for the tests.
 * Deterministic: the same data gives byte-identical files. Run: npm run fit:detector
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { writeFrequencyTable } from "./detector/build-frequency-table.ts";
import { fitLogistic, type LogisticModel, predictLogistic } from "./detector/logistic.ts";
import { fitNgramTable } from "./detector/ngram-table.ts";
import { registerExtensionlessResolution } from "./detector/resolve-extensionless.ts";
import { accuracyAt, auroc, bestThreshold, foldsBySourceDocument } from "./detector/statistics.ts";

const DATA = new URL("../../shared/data/detect-dev.jsonl", import.meta.url);
const WEIGHTS = new URL("../src/analysis/local/weights.json", import.meta.url);
const FIXTURE = new URL("../test/unit/analysis/fixtures/dev-first-50.json", import.meta.url);
const FOLDS = 5;
const SEED = 20_240_501;
const FIXTURE_ROWS = 50;
const L2 = 0.001;
/**
 * Every AI text in the dev set opens with ~25 words of a human document (the generator's prompt),
 * so n-gram tables learn only from what follows; texts are scored on all their n-grams.
 */
const LEARN_FROM = { words: 25, functionWords: 30 };

interface DevRow {
  text: string;
  label: "human" | "ai";
  source: string;
}

if (!existsSync(DATA)) {
  console.error(`Dev set not found at ${DATA.pathname}; the shared folder must sit beside the repository.`);
  process.exit(1);
}

writeFrequencyTable();
registerExtensionlessResolution();
const { tokenize } = await import("../src/analysis/local/tokenize.ts");
const { measureText } = await import("../src/analysis/local/measure.ts");
const { separateCode } = await import("../src/analysis/local/confidence.ts");
const { distinctNgrams, ngramLogOdds } = await import("../src/analysis/local/ngrams.ts");
const { DETECTOR_FEATURE_NAMES, detectorFeatureVector } = await import("../src/analysis/local/features.ts");
const { scoreHumanLikeness } = await import("../src/analysis/local/detector.ts");
type NgramTables = import("../src/analysis/local/ngrams.ts").NgramTables;
type NgramEvidence = import("../src/analysis/local/features.ts").NgramEvidence;

const rows: DevRow[] = readFileSync(DATA, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as DevRow);
const labels = rows.map((row) => (row.label === "human" ? 1 : 0));
const proses = rows.map((row) => separateCode(row.text).prose);
const tokenized = proses.map((prose) => tokenize(prose));
const measurements = tokenized.map((text) => measureText(text));
const wordTokens = tokenized.map((text) => text.words);
const functionTokens = tokenized.map((text) => text.skeleton);
const learnedWordGrams = wordTokens.map((tokens) => distinctNgrams(tokens, LEARN_FROM.words));
const learnedFunctionGrams = functionTokens.map((tokens) => distinctNgrams(tokens, LEARN_FROM.functionWords));
const at = <T>(list: readonly T[], index: number) => list[index] as T;
const allIndexes = rows.map((_, index) => index);
const foldsOf = (indexes: readonly number[], seed: number) =>
  foldsBySourceDocument(
    indexes.map((index) => at(rows, index).text),
    FOLDS,
    seed,
  );

function fitTables(indexes: readonly number[]): NgramTables {
  const indexLabels = indexes.map((index) => at(labels, index));
  return {
    words: fitNgramTable(
      indexes.map((index) => at(learnedWordGrams, index)),
      indexLabels,
    ),
    functionWords: fitNgramTable(
      indexes.map((index) => at(learnedFunctionGrams, index)),
      indexLabels,
    ),
  };
}

function evidenceOf(index: number, tables: NgramTables): NgramEvidence {
  return {
    words: ngramLogOdds(at(wordTokens, index), tables.words),
    functionWords: ngramLogOdds(at(functionTokens, index), tables.functionWords),
  };
}

/** N-gram evidence for each row from tables fitted without that row's source document. */
function outOfFoldEvidence(indexes: readonly number[], seed: number): NgramEvidence[] {
  const folds = foldsOf(indexes, seed);
  const evidence: NgramEvidence[] = new Array(indexes.length);
  for (let fold = 0; fold < FOLDS; fold += 1) {
    const tables = fitTables(indexes.filter((_, position) => folds[position] !== fold));
    indexes.forEach((index, position) => {
      if (folds[position] === fold) evidence[position] = evidenceOf(index, tables);
    });
  }
  return evidence;
}

const featuresOf = (index: number, evidence: NgramEvidence) =>
  detectorFeatureVector(at(measurements, index), evidence);

/**
 * Stacking: the logistic model learns from out-of-fold n-gram evidence (as a new text would get),
 * while the tables it ships with are fitted on all of `indexes`.
 */
function fitDetector(
  indexes: readonly number[],
  seed: number,
): { model: LogisticModel; tables: NgramTables } {
  const evidence = outOfFoldEvidence(indexes, seed);
  const model = fitLogistic(
    indexes.map((index, position) => featuresOf(index, at(evidence, position))),
    indexes.map((index) => at(labels, index)),
    { l2: L2 },
  );
  return { model, tables: fitTables(indexes) };
}

const outerFolds = foldsOf(allIndexes, SEED);
const outOfFoldScores = new Array<number>(rows.length).fill(0);
const outOfFoldFeatures: (number | undefined)[][] = new Array(rows.length);
const foldAurocs: number[] = [];
for (let fold = 0; fold < FOLDS; fold += 1) {
  const train = allIndexes.filter((index) => outerFolds[index] !== fold);
  const test = allIndexes.filter((index) => outerFolds[index] === fold);
  const { model, tables } = fitDetector(train, SEED + fold + 1);
  for (const index of test) {
    const features = featuresOf(index, evidenceOf(index, tables));
    outOfFoldFeatures[index] = features;
    outOfFoldScores[index] = 100 * predictLogistic(model, features);
  }
  foldAurocs.push(
    auroc(
      test.map((index) => at(outOfFoldScores, index)),
      test.map((index) => at(labels, index)),
    ),
  );
}
const threshold = bestThreshold(outOfFoldScores, labels);

const round = (value: number, digits = 6) => Number(value.toFixed(digits));
const final = fitDetector(allIndexes, SEED);
const weights = {
  features: [...DETECTOR_FEATURE_NAMES],
  means: final.model.means.map((value) => round(value)),
  scales: final.model.scales.map((value) => round(value)),
  coefficients: final.model.coefficients.map((value) => round(value)),
  intercept: round(final.model.intercept),
  threshold,
  ngrams: final.tables,
};
writeFileSync(WEIGHTS, `${JSON.stringify(weights, null, 2)}\n`);

const fixture = rows.slice(0, FIXTURE_ROWS).map((row, index) => {
  const verdict = scoreHumanLikeness(weights, featuresOf(index, evidenceOf(index, weights.ngrams)));
  return { first_words: row.text.split(" ").slice(0, 6).join(" "), ...verdict };
});
writeFileSync(FIXTURE, `${JSON.stringify(fixture, null, 2)}\n`);

const percent = (value: number) => `${(100 * value).toFixed(1)}%`;
const report = (indexes: readonly number[]) => {
  const scores = indexes.map((index) => at(outOfFoldScores, index));
  const truth = indexes.map((index) => at(labels, index));
  return `AUROC ${auroc(scores, truth).toFixed(3)}  accuracy ${percent(accuracyAt(scores, truth, threshold))}`;
};
console.log(
  `rows ${rows.length} (human ${labels.filter((label) => label === 1).length}), ${FOLDS} folds by source document`,
);
console.log(
  `cross-validated AUROC ${auroc(outOfFoldScores, labels).toFixed(3)}  (per fold ${foldAurocs.map((value) => value.toFixed(3)).join(", ")})`,
);
console.log(
  `threshold ${threshold}: cross-validated accuracy ${percent(accuracyAt(outOfFoldScores, labels, threshold))}`,
);
for (const source of [...new Set(rows.map((row) => row.source))].sort()) {
  console.log(
    `  ${source.padEnd(22)} ${report(allIndexes.filter((index) => at(rows, index).source === source))}`,
  );
}
console.log("single-feature AUROC (> 0.5: higher value leans human; n-gram evidence out-of-fold):");
DETECTOR_FEATURE_NAMES.forEach((name, column) => {
  const values = outOfFoldFeatures.map((features) => features[column] ?? at(final.model.means, column));
  console.log(`  ${name.padEnd(30)} ${auroc(values, labels).toFixed(3)}`);
});
console.log(
  `wrote ${WEIGHTS.pathname.split("/").slice(-4).join("/")} and ${FIXTURE.pathname.split("/").slice(-5).join("/")}`,
);
