/**
 * What `npm run fit:detector` and `npm run eval:detector` share: the training examples (the dev
 * set, the squad-wikipedia file and Brown corpus passages), their measurements, domain-balanced
 * weights, the stacked fit and the document-grouped splits. Import after the data files exist.
 */
import { existsSync, readFileSync } from "node:fs";
import { isPassageFile, passageOf, readBrownFiles } from "./brown.ts";
import { fitLogistic, type LogisticModel } from "./logistic.ts";
import { fitNgramTable, GramIndex } from "./ngram-table.ts";
import { registerExtensionlessResolution } from "./resolve-extensionless.ts";
import { foldsBySourceDocument } from "./statistics.ts";

registerExtensionlessResolution();
const { tokenize } = await import("../../src/analysis/local/tokenize.ts");
const { measureText } = await import("../../src/analysis/local/measure.ts");
const { separateCode } = await import("../../src/analysis/local/confidence.ts");
const { distinctNgrams, ngramLogOdds } = await import("../../src/analysis/local/ngrams.ts");
const { detectorFeatureVector } = await import("../../src/analysis/local/features.ts");
const { detectorLogit } = await import("../../src/analysis/local/detector.ts");
const { sentenceCounts, sentenceFeatures } = await import("../../src/analysis/local/sentences.ts");
type NgramTables = import("../../src/analysis/local/ngrams.ts").NgramTables;
type NgramEvidence = import("../../src/analysis/local/features.ts").NgramEvidence;
type TextMeasurements = import("../../src/analysis/local/measure.ts").TextMeasurements;
type TokenizedText = import("../../src/analysis/local/tokenize.ts").TokenizedText;

export const DEV_SET = new URL("../../../shared/data/detect-dev.jsonl", import.meta.url);
export const EXTRA_SET = new URL("../../../shared/data/detect-extra.jsonl", import.meta.url);
export const MODERN_SET = new URL("../../../shared/data/detect-modern.jsonl", import.meta.url);
export const FOLDS = 5;
export const SEED = 20_240_501;
const L2 = 0.001;
/** The domains with both human and machine text; Brown passages are human only. */
export const HELD_OUT_DOMAINS = [
  "xsum-news",
  "writingprompts-story",
  "squad-wikipedia",
  "openqa-answer",
  "csai-wiki-answer",
  "wikihow-article",
  "wikipedia-article",
  "l2r-academic",
  "l2r-entertainment",
  "l2r-food",
  "l2r-legal",
  "l2r-online",
] as const;
export const BROWN = "brown";
/**
 * The squad-wikipedia machine texts come from 2019–2022 base models unlike today's generators;
 * their class share counts this much of a full domain's (their human half counts fully).
 */
const OLD_GENERATOR_SHARE = 0.5;
/**
 * Every machine text in the data continues ~25 words of a human document (the generator's prompt),
 * so the n-gram table learns only from skeleton tokens after the 30th; texts are scored on all.
 */
const LEARN_FROM = 30;
/** Skeleton n-grams kept in the shipped table. */
const TABLE_SIZE = 1500;

/** One labelled text. `group` is its source document: rows of one group always share a fold. */
export interface Example {
  text: string;
  /** 1 = written by a person. */
  human: number;
  domain: string;
  group: string;
  /** The model that wrote an AI text, where the data says (`undefined` for human texts and the dev set). */
  generator?: string;
  /** `answer`, `article` or `rewrite` for detect-modern rows, `continuation` for the dev and squad sets. */
  task: string;
}

/** What the fit needs of a text, computed once. */
export interface Prepared {
  measurements: TextMeasurements;
  skeleton: string[];
  /** The tokenized text (its sentences feed the sentence model). */
  tokenized: TokenizedText;
  /** Ids (in `GRAMS`) of the skeleton n-grams the table learns from. */
  learnedSkeleton: Int32Array;
}

/** Every skeleton n-gram the table may learn, numbered once for all fits. */
const GRAMS = new GramIndex();

/** A fitted detector before calibration. */
export interface FittedDetector {
  model: LogisticModel;
  tables: NgramTables;
  /** Per training example (by index): the inner-fold table that never saw its document. */
  outOfFoldTables: Map<number, NgramTables>;
}

interface DataRow {
  text: string;
  label: "human" | "ai";
  source: string;
  generator?: string | null;
  task?: string;
}

const groupOf = (text: string) => text.split(/\s+/).slice(0, 8).join(" ").toLowerCase();

function readRows(url: URL): DataRow[] {
  if (!existsSync(url)) {
    console.error(
      `${url.pathname.split("/").at(-1)} not found; the shared folder must sit beside the repository.`,
    );
    process.exit(1);
  }
  return readFileSync(url, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as DataRow);
}

/** The dev set, then the squad-wikipedia rows, then one passage from each odd-numbered Brown file. */
export function loadExamples(): Example[] {
  const labelled = [...readRows(DEV_SET), ...readRows(EXTRA_SET), ...readRows(MODERN_SET)].map(
    (row): Example => ({
      text: row.text,
      human: row.label === "human" ? 1 : 0,
      domain: row.source,
      group: groupOf(row.text),
      task: row.task ?? "continuation",
      ...(row.generator ? { generator: row.generator } : {}),
    }),
  );
  const brown = readBrownFiles()
    .filter(isPassageFile)
    .flatMap((file) => {
      const text = passageOf(file);
      return text === undefined
        ? []
        : [{ text, human: 1, domain: BROWN, group: `brown ${file.id}`, task: "brown" }];
    });
  return [...labelled, ...brown];
}

/**
 * Tokenizes and measures a text as the analyzer does. The n-gram table learns from skeleton tokens
 * after `learnFrom` (a continuation's human prompt is left out).
 */
export function prepare(text: string, learnFrom = LEARN_FROM): Prepared {
  const tokenized = tokenize(separateCode(text).prose);
  return {
    measurements: measureText(tokenized),
    skeleton: tokenized.skeleton,
    tokenized,
    learnedSkeleton: GRAMS.idsOf(distinctNgrams(tokenized.skeleton, learnFrom)),
  };
}

/** Where the n-gram table starts learning in an example: after a continuation's prompt, else at once. */
export const learnFromOf = (example: Example) => (example.task === "continuation" ? LEARN_FROM : 0);

/** Prepares every example (see `prepare`). */
export const prepareAll = (examples: readonly Example[]) =>
  examples.map((example) => prepare(example.text, learnFromOf(example)));

/** Sentences of a data text: it was whitespace-collapsed, so a sentence ends at `.`, `!` or `?` and a space. */
export function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?]["')\]]?) +(?=["'([]?[\p{Lu}\p{N}])/u).filter((sentence) => sentence !== "");
}

/** Words per shorter window cut from each text (at least this many, whole sentences). */
export const WINDOW_LENGTHS = [22, 38, 55, 90] as const;

/**
 * Shorter texts cut from a text at sentence ends, for the length bands: for each of
 * `WINDOW_LENGTHS`, the fewest whole sentences from the start (after the first 30 words of a
 * continuation, whose opening is its human prompt) that reach that many words; only windows
 * shorter than the text, each length once.
 */
export function windowsOf(example: Example): string[] {
  const sentences = sentencesOf(example.text);
  const wordsOf = (sentence: string) => sentence.split(" ").length;
  let first = 0;
  if (example.task === "continuation") {
    let words = 0;
    while (first < sentences.length && words < LEARN_FROM) words += wordsOf(sentences[first++] as string);
  }
  const windows: string[] = [];
  const total = sentences.slice(first).reduce((sum, sentence) => sum + wordsOf(sentence), 0);
  for (const length of WINDOW_LENGTHS) {
    const chosen: string[] = [];
    let words = 0;
    for (let index = first; index < sentences.length && words < length; index += 1) {
      chosen.push(sentences[index] as string);
      words += wordsOf(sentences[index] as string);
    }
    const window = chosen.join(" ");
    if (words >= length && words < total && !windows.includes(window)) windows.push(window);
  }
  return windows;
}

/**
 * Weights that give every (domain, label) cell of `indexes` the same total, the old-generator cell
 * `OLD_GENERATOR_SHARE` of that, and both labels the same total; mean weight 1.
 */
export function domainBalancedWeights(examples: readonly Example[], indexes: readonly number[]): number[] {
  const cellOf = (example: Example) => `${example.domain} ${example.human}`;
  const sizes = new Map<string, number>();
  for (const index of indexes) {
    const cell = cellOf(examples[index] as Example);
    sizes.set(cell, (sizes.get(cell) ?? 0) + 1);
  }
  const share = (example: Example) =>
    example.human === 0 && example.domain === "squad-wikipedia" ? OLD_GENERATOR_SHARE : 1;
  const labelTotals = [0, 0];
  for (const index of indexes) {
    const example = examples[index] as Example;
    labelTotals[example.human] =
      (labelTotals[example.human] as number) + share(example) / (sizes.get(cellOf(example)) as number);
  }
  const raw = indexes.map((index) => {
    const example = examples[index] as Example;
    return share(example) / (sizes.get(cellOf(example)) as number) / (labelTotals[example.human] as number);
  });
  const mean = raw.reduce((sum, weight) => sum + weight, 0) / raw.length;
  return raw.map((weight) => weight / mean);
}

/** Assigns each of `indexes` a fold (document-grouped, seeded). */
export function foldsOf(examples: readonly Example[], indexes: readonly number[], seed: number): number[] {
  return foldsBySourceDocument(
    indexes.map((index) => (examples[index] as Example).group),
    FOLDS,
    seed,
  );
}

/** Fits the detector on some of `examples` and scores texts with the result. */
export class DetectorFit {
  readonly examples: readonly Example[];
  readonly prepared: readonly Prepared[];

  constructor(examples: readonly Example[], prepared: readonly Prepared[]) {
    this.examples = examples;
    this.prepared = prepared;
  }

  fitTables(indexes: readonly number[], weights: readonly number[]): NgramTables {
    return {
      functionWords: fitNgramTable(
        indexes.map((index) => (this.prepared[index] as Prepared).learnedSkeleton),
        indexes.map((index) => (this.examples[index] as Example).human),
        GRAMS,
        { weights, size: TABLE_SIZE },
      ),
    };
  }

  features(prepared: Prepared, tables: NgramTables): (number | undefined)[] {
    const evidence: NgramEvidence = {
      functionWords: ngramLogOdds(prepared.skeleton, tables.functionWords),
    };
    return detectorFeatureVector(prepared.measurements, evidence);
  }

  /**
   * Stacking: the logistic model learns from n-gram evidence of tables that never saw the row's
   * document (an inner grouped split), as a new text would get; the shipped tables see all of `indexes`.
   */
  fit(indexes: readonly number[], seed: number): FittedDetector {
    const weights = domainBalancedWeights(this.examples, indexes);
    const folds = foldsOf(this.examples, indexes, seed);
    const rows: (number | undefined)[][] = new Array(indexes.length);
    const outOfFoldTables = new Map<number, NgramTables>();
    for (let fold = 0; fold < FOLDS; fold += 1) {
      const inFold = indexes.map((_, position) => folds[position] !== fold);
      const tables = this.fitTables(
        indexes.filter((_, position) => inFold[position]),
        weights.filter((_, position) => inFold[position]),
      );
      indexes.forEach((index, position) => {
        if (inFold[position]) return;
        rows[position] = this.features(this.prepared[index] as Prepared, tables);
        outOfFoldTables.set(index, tables);
      });
    }
    const model = fitLogistic(
      rows,
      indexes.map((index) => (this.examples[index] as Example).human),
      { l2: L2, weights },
    );
    return { model, tables: this.fitTables(indexes, weights), outOfFoldTables };
  }

  logit(fitted: FittedDetector, prepared: Prepared): number {
    return detectorLogit(fitted.model, this.features(prepared, fitted.tables));
  }
}

/** One out-of-fold split: fit on `train`, score `test`; `seed` drives the fit's inner split. */
export interface Split {
  train: number[];
  test: number[];
  seed: number;
  /** The held-out domain of a leave-one-domain-out split. */
  domain?: string;
}

/**
 * Leave one domain out: for each of `HELD_OUT_DOMAINS` and the Brown passages, fit on every other
 * example and score that domain.
 */
export function leaveOneDomainOutSplits(examples: readonly Example[]): Split[] {
  const all = examples.map((_, index) => index);
  return [...HELD_OUT_DOMAINS, BROWN].map((domain, position) => ({
    train: all.filter((index) => examples[index]?.domain !== domain),
    test: all.filter((index) => examples[index]?.domain === domain),
    seed: SEED + 100 + position,
    domain,
  }));
}

/** The chat models of detect-modern.jsonl, each held out in turn by `leaveOneGeneratorOutSplits`. */
export const MODERN_GENERATORS = [
  "chatgpt-3.5-2022-12",
  "llama-2-70b-chat",
  "gpt-3.5-turbo",
  "gpt-4o",
  "gemini-1.5-pro",
  "llama-3-70b-instruct",
] as const;

/**
 * Leave one generator out: for a generator, its AI texts never enter training; they and the human
 * texts of the domains it wrote in are scored in 5 grouped folds, each by a fit on everything else
 * (the other generators' texts, those domains' other human texts, all other domains).
 */
export function leaveOneGeneratorOutSplits(examples: readonly Example[], generator: string): Split[] {
  const all = examples.map((_, index) => index);
  const written = all.filter((index) => examples[index]?.generator === generator);
  const domains = new Set(written.map((index) => examples[index]?.domain));
  const humans = all.filter((index) => examples[index]?.human === 1 && domains.has(examples[index]?.domain));
  const scored = [...humans, ...written];
  const folds = foldsOf(examples, scored, SEED + 200);
  const heldOut = new Set(written);
  return Array.from({ length: FOLDS }, (_, fold) => {
    const test = scored.filter((_, position) => folds[position] === fold);
    const testSet = new Set(test);
    return {
      train: all.filter((index) => !heldOut.has(index) && !testSet.has(index)),
      test,
      seed: SEED + 300 + fold,
    };
  });
}

/** The first sentence of a tokenized example the sentence model learns from: after a continuation's prompt. */
export function firstLearnedSentence(example: Example, tokenized: TokenizedText): number {
  if (example.task !== "continuation") return 0;
  const first = tokenized.sentences.findIndex((sentence) => sentence.start >= LEARN_FROM);
  return first < 0 ? tokenized.sentences.length : first;
}

/**
 * Fits the sentence model on the sentences of `indexes` (each with its neighbours), each scored
 * with the n-gram table that never saw its document (`fitted.outOfFoldTables`); every example's
 * sentences together weigh its domain-balanced weight.
 */
export function fitSentenceModel(
  examples: readonly Example[],
  prepared: readonly Prepared[],
  indexes: readonly number[],
  fitted: FittedDetector,
): LogisticModel {
  const weights = domainBalancedWeights(examples, indexes);
  const rows: (number | undefined)[][] = [];
  const labels: number[] = [];
  const rowWeights: number[] = [];
  indexes.forEach((index, position) => {
    const example = examples[index] as Example;
    const { tokenized } = prepared[index] as Prepared;
    const tables = fitted.outOfFoldTables.get(index) ?? fitted.tables;
    const counts = sentenceCounts(tokenized, tables.functionWords);
    const first = firstLearnedSentence(example, tokenized);
    for (let sentence = first; sentence < counts.length; sentence += 1) {
      rows.push(sentenceFeatures(counts, sentence));
      labels.push(example.human);
      rowWeights.push((weights[position] as number) / (counts.length - first));
    }
  });
  return fitLogistic(rows, labels, { l2: L2, weights: rowWeights });
}
