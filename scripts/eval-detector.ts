/**
 * Measures the local AI-text detector out of domain, beside a plain bag-of-words naive-Bayes
 * baseline fitted on the same texts with the same weights and splits, and writes the tables into
 * docs/ANALYZER.md between the `eval:detector` markers (a rerun replaces them). Deterministic.
 *
 * Every figure is out of domain: a text is scored by a model fitted without its domain
 * (leave-one-domain-out) or without its generator (leave-one-generator-out), and the length bands'
 * calibration and thresholds applied to a domain are fitted on the other domains' out-of-domain
 * scores only (nested), so the false-positive rates below are not the ones the thresholds were
 * chosen on. Run after npm run fit:detector: npm run eval:detector
 */
import { readFileSync, writeFileSync } from "node:fs";
import { auroc, wilsonInterval } from "./detector/statistics.ts";

const {
  BROWN,
  DetectorFit,
  HELD_OUT_DOMAINS,
  MODERN_GENERATORS,
  domainBalancedWeights,
  leaveOneDomainOutSplits,
  leaveOneGeneratorOutSplits,
  loadExamples,
  prepare,
  prepareAll,
  windowsOf,
} = await import("./detector/pipeline.ts");
const {
  BUDGET,
  bandIndex,
  bandName,
  calibratedScore,
  chooseFormalQuantile,
  fitBands,
  fitRegisterBands,
  isCalledAi,
  LENGTH_BANDS,
} = await import("./detector/calibration.ts");
type ScoredText = import("./detector/calibration.ts").ScoredText;
type ThresholdBand = import("./detector/calibration.ts").ThresholdBand;
type RegisterScoredText = import("./detector/calibration.ts").RegisterScoredText;
type Prepared = import("./detector/pipeline.ts").Prepared;
type Split = import("./detector/pipeline.ts").Split;
const { analyzeLocally } = await import("../src/analysis/local/index.ts");
const { DETECTOR_FEATURE_NAMES, DETECTOR_FEATURES, EVIDENCE_FEATURES } = await import(
  "../src/analysis/local/features.ts"
);
const { stockWordingLogit } = await import("../src/analysis/local/detector.ts");
const { spliceEvaluation } = await import("./detector/splice.ts");

const DOCUMENT = new URL("../docs/ANALYZER.md", import.meta.url);
const START = "<!-- eval:detector:start -->";
const END = "<!-- eval:detector:end -->";
const DOMAINS = [...HELD_OUT_DOMAINS, BROWN];

const examples = loadExamples();
/** The domains of detect-modern.jsonl (answers, articles and rewrites by today's chat models). */
const MODERN_DOMAINS = new Set(
  examples
    .filter((example) => example.generator !== undefined && example.task !== "continuation")
    .map((example) => example.domain),
);
const fit = new DetectorFit(examples, prepareAll(examples));
/** Every text scored: each example whole, then its shorter windows (cut at sentence ends). */
interface Piece {
  example: number;
  text: string;
  prepared: Prepared;
  words: number;
  whole: boolean;
}
const pieces: Piece[] = [];
const piecesOf: number[][] = examples.map(() => []);
examples.forEach((example, index) => {
  const texts = [example.text, ...windowsOf(example)];
  texts.forEach((text, position) => {
    const prepared = position === 0 ? (fit.prepared[index] as Prepared) : prepare(text);
    (piecesOf[index] as number[]).push(pieces.length);
    pieces.push({
      example: index,
      text,
      prepared,
      words: prepared.measurements.wordCount,
      whole: position === 0,
    });
  });
});

interface Scorer<Model> {
  fit(indexes: number[], seed: number): Model;
  logit(model: Model, piece: Piece): number;
  /** The log-odds of the stock-wording features alone (the register rule reads it), where the scorer has them. */
  stockWordingLogit?(model: Model, piece: Piece): number;
}

const detector: Scorer<ReturnType<typeof fit.fit>> = {
  fit: (indexes, seed) => fit.fit(indexes, seed),
  logit: (model, piece) => fit.logit(model, piece.prepared),
  stockWordingLogit: (model, piece) =>
    stockWordingLogit(
      { ...model.model, features: [...DETECTOR_FEATURE_NAMES], evidence_features: [...EVIDENCE_FEATURES] },
      fit.features(piece.prepared, model.tables),
    ),
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
 * same texts with the same domain-balanced weights; log-odds = mean log-count ratio of the text's
 * known n-grams. Calibrated and thresholded per length band exactly like the detector.
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
  logit(ratios, piece) {
    let sum = 0;
    let known = 0;
    for (const gram of bagOfWords(piece.text)) {
      const ratio = ratios.get(gram);
      if (ratio === undefined) continue;
      sum += ratio;
      known += 1;
    }
    return known === 0 ? 0 : sum / known;
  },
};

/**
 * Scores every piece of every test example of the splits (and, where the scorer has them, its
 * stock-wording log-odds); NaN where a piece was not scored.
 */
function scoreSplits<Model>(
  scorer: Scorer<Model>,
  splits: readonly Split[],
  wholeOnly = false,
): { logits: number[]; stock: number[] | undefined } {
  const logits = new Array<number>(pieces.length).fill(Number.NaN);
  const stock = scorer.stockWordingLogit ? new Array<number>(pieces.length).fill(Number.NaN) : undefined;
  for (const { train, test, seed } of splits) {
    const model = scorer.fit(train, seed);
    for (const index of test)
      for (const piece of piecesOf[index] as number[]) {
        if (wholeOnly && !(pieces[piece] as Piece).whole) continue;
        logits[piece] = scorer.logit(model, pieces[piece] as Piece);
        if (stock) stock[piece] = scorer.stockWordingLogit?.(model, pieces[piece] as Piece) as number;
      }
  }
  return { logits, stock };
}

const scoredTexts = (logits: readonly number[], pieceIndexes: readonly number[]): ScoredText[] =>
  pieceIndexes.map((piece) => {
    const { example, words } = pieces[piece] as Piece;
    const { human, domain } = examples[example] as (typeof examples)[number];
    return { logit: logits[piece] as number, words, human, domain };
  });

const registerScoredTexts = (
  logits: readonly number[],
  stock: readonly number[],
  pieceIndexes: readonly number[],
): RegisterScoredText[] =>
  scoredTexts(logits, pieceIndexes).map((text, position) => {
    const piece = pieceIndexes[position] as number;
    return {
      ...text,
      sentences: (pieces[piece] as Piece).prepared.measurements.sentenceCount,
      meanWordLength: (pieces[piece] as Piece).prepared.measurements.meanWordLength,
      stockWordingLogit: stock[piece] as number,
    };
  });

/**
 * Out-of-domain verdicts: each domain's pieces read with length bands fitted on the other domains'
 * out-of-domain scores only. With stock-wording log-odds (the detector) the register rule applies,
 * its formal cut also chosen on the other domains only (`formalQuantiles`: the choice per domain).
 */
function nestedVerdicts(
  logits: readonly number[],
  stock?: readonly number[],
): { score: number[]; flagged: boolean[]; formal: boolean[]; formalQuantiles: Map<string, number> } {
  const score = new Array<number>(pieces.length).fill(Number.NaN);
  const flagged = new Array<boolean>(pieces.length).fill(false);
  const formal = new Array<boolean>(pieces.length).fill(false);
  const formalQuantiles = new Map<string, number>();
  const all = pieces.map((_, index) => index);
  for (const domain of DOMAINS) {
    const others = all.filter((piece) => examples[(pieces[piece] as Piece).example]?.domain !== domain);
    const held = all.filter((piece) => examples[(pieces[piece] as Piece).example]?.domain === domain);
    if (stock) {
      const training = registerScoredTexts(logits, stock, others);
      const share = chooseFormalQuantile(training, BUDGET);
      formalQuantiles.set(domain, share);
      const bands = fitRegisterBands(training, BUDGET, share);
      registerScoredTexts(logits, stock, held).forEach((text, position) => {
        const band = bands[bandIndex(text.words)] as (typeof bands)[number];
        score[held[position] as number] = calibratedScore(band, text.logit);
        flagged[held[position] as number] = isCalledAi(band, text);
        formal[held[position] as number] = text.meanWordLength > band.formal_above;
      });
      continue;
    }
    const bands: ThresholdBand[] = fitBands(scoredTexts(logits, others), BUDGET);
    for (const piece of held) {
      const band = bands[bandIndex((pieces[piece] as Piece).words)] as ThresholdBand;
      const value = calibratedScore(band, logits[piece] as number);
      score[piece] = value;
      flagged[piece] = value < band.threshold;
    }
  }
  return { score, flagged, formal, formalQuantiles };
}

const detectorScores = scoreSplits(detector, leaveOneDomainOutSplits(examples));
const detectorOutOfDomain = detectorScores.logits;
const baselineOutOfDomain = scoreSplits(baseline, leaveOneDomainOutSplits(examples)).logits;
const detectorVerdicts = nestedVerdicts(detectorOutOfDomain, detectorScores.stock);
const baselineVerdicts = nestedVerdicts(baselineOutOfDomain);
const generatorScores = MODERN_GENERATORS.map((generator) => {
  const splits = leaveOneGeneratorOutSplits(examples, generator);
  return {
    generator,
    detector: scoreSplits(detector, splits, true).logits,
    baseline: scoreSplits(baseline, splits, true).logits,
  };
});

const pieceIndexes = pieces.map((_, index) => index);
const exampleOf = (piece: number) => examples[(pieces[piece] as Piece).example] as (typeof examples)[number];
const inBand = (band: number) => (piece: number) => bandIndex((pieces[piece] as Piece).words) === band;
const ofDomain = (domain: string) => (piece: number) => exampleOf(piece).domain === domain;
const percent = (value: number) => `${(100 * value).toFixed(1)} %`;
const aurocOf = (logits: readonly number[], selected: readonly number[]) => {
  const labels = selected.map((piece) => exampleOf(piece).human);
  if (!labels.includes(0) || !labels.includes(1)) return "–";
  return auroc(
    selected.map((piece) => logits[piece] as number),
    labels,
  ).toFixed(3);
};

/** "2.1 % (0.9–4.8) of 240": the share of `label` texts among `selected` that were flagged. */
function rate(flagged: readonly boolean[], selected: readonly number[], label: number): string {
  const ofLabel = selected.filter((piece) => exampleOf(piece).human === label);
  if (ofLabel.length === 0) return "–";
  const hits = ofLabel.filter((piece) => flagged[piece]).length;
  const [low, high] = wilsonInterval(hits, ofLabel.length);
  return `${(100 * (hits / ofLabel.length)).toFixed(1)} % (${(100 * low).toFixed(1)}–${(100 * high).toFixed(1)}) of ${ofLabel.length}`;
}
const countOf = (selected: readonly number[], label: number) =>
  selected.filter((piece) => exampleOf(piece).human === label).length;

const lines: string[] = [];
const table = (header: string[], rows: string[][]) => {
  lines.push(
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, column) => (column === 0 ? "---" : "---:")).join(" | ")} |`,
  );
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  lines.push("");
};

/** A length band's first columns: its words, its texts, both AUROCs, and the detector's FPR and TPR. */
const bandCells = (band: number, selected: readonly number[]) => [
  bandName(band),
  `${countOf(selected, 1)} / ${countOf(selected, 0)}`,
  aurocOf(detectorOutOfDomain, selected),
  aurocOf(baselineOutOfDomain, selected),
  rate(detectorVerdicts.flagged, selected, 1),
  rate(detectorVerdicts.flagged, selected, 0),
];

const wholeTexts = pieceIndexes.filter((piece) => (pieces[piece] as Piece).whole);
lines.push(
  `${examples.length} texts (${countOf(wholeTexts, 1)} human, ${countOf(wholeTexts, 0)} AI) in ${DOMAINS.length} domains, and ${pieces.length - examples.length} shorter windows cut from them at sentence ends. Generated by \`npm run eval:detector\`; every figure out of domain (see above). FPR = human texts called AI, TPR = AI texts called AI, with Wilson 95 % intervals; AUROC of the score pooled over the held-out domains.`,
  "",
  "**By length band** (leave-one-domain-out, nested thresholds)",
  "",
);
table(
  [
    "words",
    "human / AI texts",
    "AUROC",
    "baseline AUROC",
    "FPR",
    "TPR",
    "worst domain FPR",
    "baseline FPR",
    "baseline TPR",
  ],
  LENGTH_BANDS.map((_, band) => {
    const selected = pieceIndexes.filter(inBand(band));
    const worst = DOMAINS.map((domain) => {
      const humans = selected.filter((piece) => ofDomain(domain)(piece) && exampleOf(piece).human === 1);
      return {
        domain,
        share:
          humans.length === 0
            ? 0
            : humans.filter((piece) => detectorVerdicts.flagged[piece]).length / humans.length,
        count: humans.length,
      };
    })
      .filter(({ count }) => count >= BUDGET.minimumHumans)
      .sort((a, b) => b.share - a.share)[0];
    return [
      ...bandCells(band, selected),
      worst ? `${percent(worst.share)} (${worst.domain})` : "–",
      rate(baselineVerdicts.flagged, selected, 1),
      rate(baselineVerdicts.flagged, selected, 0),
    ];
  }),
);

const quantileGroups = new Map<number, string[]>();
for (const [domain, share] of detectorVerdicts.formalQuantiles)
  quantileGroups.set(share, [...(quantileGroups.get(share) ?? []), domain]);
const formalShare = (label: number) => {
  const ofLabel = pieceIndexes.filter((piece) => exampleOf(piece).human === label);
  return percent(ofLabel.filter((piece) => detectorVerdicts.formal[piece]).length / ofLabel.length);
};
lines.push(
  `Formal register (mean word length above the band's cut, chosen on the other domains as the loosest quantile of their human texts that kept each of them within the budget when left out): ${[
    ...quantileGroups,
  ]
    .sort(([a], [b]) => b - a)
    .map(
      ([share, domains]) =>
        `${share} with ${domains.length > 3 ? `${domains.length} domains` : domains.join(", ")} held out`,
    )
    .join(
      "; ",
    )}. ${formalShare(1)} of human and ${formalShare(0)} of AI texts (all lengths) were formal; they are called AI only on their stock wording.`,
  "",
);

// The pooled figures above include the round-2 domains (news and fiction continued by GPT-3-era
// models, Wikipedia continued by 2019–2022 base models, where the direction flips); the issue's
// held-out sets are today's chat models, so the same scores are also pooled over detect-modern only.
const modern = (piece: number) => MODERN_DOMAINS.has(exampleOf(piece).domain);
lines.push(
  "**By length band, today's chat models only** (the same scores, pooled over the nine detect-modern domains)",
  "",
);
table(
  ["words", "human / AI texts", "AUROC", "baseline AUROC", "FPR", "TPR"],
  LENGTH_BANDS.map((_, band) => {
    const selected = pieceIndexes.filter((piece) => inBand(band)(piece) && modern(piece));
    return bandCells(band, selected);
  }),
);

lines.push("**By domain held out** (whole texts and windows, all lengths)", "");
table(
  ["domain", "AUROC", "baseline", "FPR", "TPR", "baseline FPR", "baseline TPR"],
  DOMAINS.map((domain) => {
    const selected = pieceIndexes.filter(ofDomain(domain));
    return [
      domain,
      aurocOf(detectorOutOfDomain, selected),
      aurocOf(baselineOutOfDomain, selected),
      rate(detectorVerdicts.flagged, selected, 1),
      rate(detectorVerdicts.flagged, selected, 0),
      rate(baselineVerdicts.flagged, selected, 1),
      rate(baselineVerdicts.flagged, selected, 0),
    ];
  }),
);

lines.push("**Human texts called AI, by domain held out and length band** (detector; share of n)", "");
table(
  ["domain", ...LENGTH_BANDS.map((_, band) => bandName(band))],
  DOMAINS.map((domain) => [
    domain,
    ...LENGTH_BANDS.map((_, band) => {
      const humans = pieceIndexes.filter(
        (piece) => ofDomain(domain)(piece) && inBand(band)(piece) && exampleOf(piece).human === 1,
      );
      if (humans.length === 0) return "–";
      const hits = humans.filter((piece) => detectorVerdicts.flagged[piece]).length;
      return `${percent(hits / humans.length)} of ${humans.length}`;
    }),
  ]),
);

lines.push("**AUROC by domain held out and length band** (detector · baseline)", "");
table(
  ["domain", ...LENGTH_BANDS.map((_, band) => bandName(band))],
  HELD_OUT_DOMAINS.map((domain) => [
    domain,
    ...LENGTH_BANDS.map((_, band) => {
      const selected = pieceIndexes.filter((piece) => ofDomain(domain)(piece) && inBand(band)(piece));
      if (countOf(selected, 0) < 10 || countOf(selected, 1) < 10) return "–";
      return `${aurocOf(detectorOutOfDomain, selected)} · ${aurocOf(baselineOutOfDomain, selected)}`;
    }),
  ]),
);

lines.push(
  "**By generator** (whole texts; each generator's AI texts against the human texts of the domains it wrote in; LODO = its domains held out, LOGO = the generator held out, its domains' other texts in training)",
  "",
);
table(
  [
    "generator",
    "task",
    "AI texts",
    "AUROC LODO",
    "baseline LODO",
    "AUROC LOGO",
    "baseline LOGO",
    "TPR LODO",
    "75–150 words AUROC LODO",
    "150+ words AUROC LODO",
  ],
  MODERN_GENERATORS.map((generator) => {
    const written = wholeTexts.filter((piece) => exampleOf(piece).generator === generator);
    const domains = new Set(written.map((piece) => exampleOf(piece).domain));
    const selected = wholeTexts.filter(
      (piece) =>
        exampleOf(piece).generator === generator ||
        (exampleOf(piece).human === 1 && domains.has(exampleOf(piece).domain)),
    );
    const scores = generatorScores.find(
      (entry) => entry.generator === generator,
    ) as (typeof generatorScores)[number];
    const middle = selected.filter(
      (piece) => (pieces[piece] as Piece).words >= 75 && (pieces[piece] as Piece).words < 150,
    );
    const long = selected.filter((piece) => (pieces[piece] as Piece).words >= 150);
    return [
      generator,
      exampleOf(written[0] as number).task,
      String(written.length),
      aurocOf(detectorOutOfDomain, selected),
      aurocOf(baselineOutOfDomain, selected),
      aurocOf(scores.detector, selected),
      aurocOf(scores.baseline, selected),
      rate(detectorVerdicts.flagged, written, 0),
      aurocOf(detectorOutOfDomain, middle),
      aurocOf(detectorOutOfDomain, long),
    ];
  }),
);

lines.push("**By task** (whole texts, LODO)", "");
table(
  ["task", "human / AI", "AUROC", "baseline", "50–150 words", "150+ words", "FPR", "TPR"],
  ["continuation", "answer", "article", "rewrite"].map((task) => {
    const selected = wholeTexts.filter((piece) => exampleOf(piece).task === task);
    const middle = pieceIndexes.filter(
      (piece) =>
        exampleOf(piece).task === task &&
        (pieces[piece] as Piece).words >= 50 &&
        (pieces[piece] as Piece).words < 150,
    );
    const long = selected.filter((piece) => (pieces[piece] as Piece).words >= 150);
    return [
      task,
      `${countOf(selected, 1)} / ${countOf(selected, 0)}`,
      aurocOf(detectorOutOfDomain, selected),
      aurocOf(baselineOutOfDomain, selected),
      aurocOf(detectorOutOfDomain, middle),
      aurocOf(detectorOutOfDomain, long),
      rate(detectorVerdicts.flagged, selected, 1),
      rate(detectorVerdicts.flagged, selected, 0),
    ];
  }),
);

lines.push(
  "**Reliability of `ai_probability` by length band** (LODO, nested calibration): share of texts that were AI among those given each probability",
  "",
);
const BINS = [0.2, 0.4, 0.6, 0.8, 1.0001];
table(
  ["words", ...BINS.map((upper, bin) => `${bin === 0 ? 0 : BINS[bin - 1]}–${Math.min(1, upper)}`)],
  LENGTH_BANDS.map((_, band) => [
    bandName(band),
    ...BINS.map((upper, bin) => {
      const lower = bin === 0 ? 0 : (BINS[bin - 1] as number);
      const selected = pieceIndexes.filter((piece) => {
        const probability = 1 - (detectorVerdicts.score[piece] as number) / 100;
        return inBand(band)(piece) && probability >= lower && probability < upper;
      });
      if (selected.length === 0) return "–";
      return `${percent(countOf(selected, 0) / selected.length)} of ${selected.length}`;
    }),
  ]),
);

lines.push(
  "**Direction of each feature by domain** (single-feature AUROC on whole texts; above 0.5 a higher value leans human; a feature is kept only if it stays on one side, within 0.03, in every domain)",
  "",
);
table(
  [
    "feature",
    ...HELD_OUT_DOMAINS.map((domain) =>
      domain.replace("-wikipedia", "").replace("-story", "").replace("-news", ""),
    ),
  ],
  DETECTOR_FEATURE_NAMES.filter((name) => name !== "function_word_ngram_log_odds").map((name) => [
    name,
    ...HELD_OUT_DOMAINS.map((domain) => {
      const selected = wholeTexts.filter(ofDomain(domain));
      return auroc(
        selected.map((piece) => {
          const value = (DETECTOR_FEATURES[name] as (m: unknown, e: unknown) => number | undefined)(
            (pieces[piece] as Piece).prepared.measurements,
            { functionWords: 0 },
          );
          return value ?? 0;
        }),
        selected.map((piece) => exampleOf(piece).human),
      ).toFixed(2);
    }),
  ]),
);
lines.push(
  `function_word_ngram_log_odds (out of domain): ${HELD_OUT_DOMAINS.map((domain) => aurocOf(detectorOutOfDomain, wholeTexts.filter(ofDomain(domain)))).join(" / ")} (its table is learned, so this is the detector's LODO row order above).`,
  "",
);

const STOCK = {
  "Certainly! … I hope this helps!":
    "Certainly! Regular exercise offers a wide range of benefits for both your body and your mind. It strengthens your heart, improves circulation, and helps you maintain a healthy weight. Exercise also releases endorphins, which can boost your mood and reduce stress. Additionally, staying active can improve your sleep quality and increase your energy levels throughout the day. It's important to find an activity you enjoy so that you can stick with it over time. I hope this helps!",
  "Firstly … Moreover … In conclusion":
    "Firstly, remote work allows employees to save time that would otherwise be spent commuting. Moreover, it gives people greater flexibility to balance their professional and personal responsibilities. Furthermore, companies can reduce their office costs and hire talent from a wider geographic area. However, remote work also presents challenges, such as feelings of isolation and difficulties with communication. Additionally, some employees find it harder to separate work from home life. In conclusion, remote work offers significant benefits, but organizations must address its challenges to ensure success.",
};
lines.push("**Stock assistant wording** (the shipped analyzer)", "");
table(
  [
    "text",
    "words",
    "human_likeness_score",
    "threshold",
    "is_ai_generated",
    "ai_probability",
    "low_confidence_reason",
  ],
  Object.entries(STOCK).map(([name, text]) => {
    const metrics = analyzeLocally(text);
    return [
      name,
      String(metrics.word_count),
      String(metrics.human_likeness_score),
      String(metrics.threshold),
      String(metrics.is_ai_generated),
      String(metrics.ai_probability),
      metrics.low_confidence_reason ?? "–",
    ];
  }),
);

for (const line of spliceEvaluation(examples, fit)) lines.push(line);

const output = lines.join("\n").trimEnd();
console.log(output);
const document = readFileSync(DOCUMENT, "utf8");
const start = document.indexOf(START);
const end = document.indexOf(END);
if (start < 0 || end < start) {
  console.error(`docs/ANALYZER.md has no ${START} … ${END} markers; the table was not written.`);
  process.exit(1);
}
writeFileSync(DOCUMENT, `${document.slice(0, start + START.length)}\n${output}\n${document.slice(end)}`);
console.log("wrote the tables into docs/ANALYZER.md");
