/**
 * Fits the local AI-text detector on ../shared/data/detect-dev.jsonl and writes
 * src/analysis/local/weights.json plus a fixture of the first 50 scores for the tests.
 * Deterministic: the same data gives byte-identical files. Run: npm run fit:detector
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { writeFrequencyTable } from "./detector/build-frequency-table.ts";
import { fitLexicon } from "./detector/lexicon.ts";
import { fitLogistic, type LogisticModel, predictLogistic } from "./detector/logistic.ts";
import { registerExtensionlessResolution } from "./detector/resolve-extensionless.ts";
import { accuracyAt, auroc, bestThreshold, foldsBySourceDocument } from "./detector/statistics.ts";

const DATA = new URL("../../shared/data/detect-dev.jsonl", import.meta.url);
const WEIGHTS = new URL("../src/analysis/local/weights.json", import.meta.url);
const FIXTURE = new URL("../test/unit/analysis/fixtures/dev-first-50.json", import.meta.url);
const FOLDS = 5;
const SEED = 20_240_501;
const FIXTURE_ROWS = 50;

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
const { DETECTOR_FEATURE_NAMES, detectorFeatureVector } = await import("../src/analysis/local/features.ts");
const { lexiconLogOdds, scoreHumanLikeness } = await import("../src/analysis/local/detector.ts");

const rows: DevRow[] = readFileSync(DATA, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as DevRow);
const labels = rows.map((row) => (row.label === "human" ? 1 : 0));
const tokenized = rows.map((row) => tokenize(separateCode(row.text).prose));
const measurements = tokenized.map((text) => measureText(text));
const folds = foldsBySourceDocument(
  rows.map((row) => row.text),
  FOLDS,
  SEED,
);

function featureRows(indexes: readonly number[], lexicon: Record<string, number>): (number | undefined)[][] {
  return indexes.map((index) =>
    detectorFeatureVector(
      measurements[index] as (typeof measurements)[number],
      lexiconLogOdds((tokenized[index] as (typeof tokenized)[number]).words, lexicon),
    ),
  );
}

function fitOn(indexes: readonly number[]): { model: LogisticModel; lexicon: Record<string, number> } {
  const lexicon = fitLexicon(
    indexes.map((index) => (tokenized[index] as (typeof tokenized)[number]).words),
    indexes.map((index) => labels[index] as number),
  );
  const model = fitLogistic(
    featureRows(indexes, lexicon),
    indexes.map((index) => labels[index] as number),
  );
  return { model, lexicon };
}

const allIndexes = rows.map((_, index) => index);
const outOfFoldScores = new Array<number>(rows.length).fill(0);
const outOfFoldFeatures: (number | undefined)[][] = new Array(rows.length);
const foldAurocs: number[] = [];
for (let fold = 0; fold < FOLDS; fold += 1) {
  const train = allIndexes.filter((index) => folds[index] !== fold);
  const test = allIndexes.filter((index) => folds[index] === fold);
  const { model, lexicon } = fitOn(train);
  const testRows = featureRows(test, lexicon);
  test.forEach((index, position) => {
    const features = testRows[position] as (number | undefined)[];
    outOfFoldFeatures[index] = features;
    outOfFoldScores[index] = 100 * predictLogistic(model, features);
  });
  foldAurocs.push(
    auroc(
      test.map((index) => outOfFoldScores[index] as number),
      test.map((index) => labels[index] as number),
    ),
  );
}
const cvAuroc = auroc(outOfFoldScores, labels);
const threshold = bestThreshold(outOfFoldScores, labels);
const cvAccuracy = accuracyAt(outOfFoldScores, labels, threshold);

const round = (value: number, digits = 6) => Number(value.toFixed(digits));
const final = fitOn(allIndexes);
const weights = {
  features: [...DETECTOR_FEATURE_NAMES],
  means: final.model.means.map((value) => round(value)),
  scales: final.model.scales.map((value) => round(value)),
  coefficients: final.model.coefficients.map((value) => round(value)),
  intercept: round(final.model.intercept),
  threshold,
  lexicon: final.lexicon,
};
writeFileSync(WEIGHTS, `${JSON.stringify(weights, null, 2)}\n`);

const fixture = rows.slice(0, FIXTURE_ROWS).map((row, index) => {
  const features = featureRows([index], weights.lexicon)[0] as (number | undefined)[];
  const verdict = scoreHumanLikeness(weights, features);
  return { first_words: row.text.split(" ").slice(0, 6).join(" "), ...verdict };
});
writeFileSync(FIXTURE, `${JSON.stringify(fixture, null, 2)}\n`);

const percent = (value: number) => `${(100 * value).toFixed(1)}%`;
console.log(
  `rows ${rows.length} (human ${labels.filter((label) => label === 1).length}), ${FOLDS} folds by source document`,
);
console.log(
  `cross-validated AUROC ${cvAuroc.toFixed(3)}  (per fold ${foldAurocs.map((value) => value.toFixed(3)).join(", ")})`,
);
console.log(`threshold ${threshold}: cross-validated accuracy ${percent(cvAccuracy)}`);
for (const source of [...new Set(rows.map((row) => row.source))].sort()) {
  const members = allIndexes.filter((index) => rows[index]?.source === source);
  const sourceAuroc = auroc(
    members.map((index) => outOfFoldScores[index] as number),
    members.map((index) => labels[index] as number),
  );
  console.log(
    `  ${source.padEnd(22)} AUROC ${sourceAuroc.toFixed(3)}  accuracy ${percent(
      accuracyAt(
        members.map((index) => outOfFoldScores[index] as number),
        members.map((index) => labels[index] as number),
        threshold,
      ),
    )}`,
  );
}
console.log("single-feature AUROC (> 0.5: higher value leans human; lexicon out-of-fold):");
DETECTOR_FEATURE_NAMES.forEach((name, column) => {
  const values = outOfFoldFeatures.map(
    (features) => features?.[column] ?? (final.model.means[column] as number),
  );
  console.log(`  ${name.padEnd(30)} ${auroc(values, labels).toFixed(3)}`);
});
console.log(
  `wrote ${WEIGHTS.pathname.split("/").slice(-4).join("/")} and ${FIXTURE.pathname.split("/").slice(-5).join("/")}`,
);
