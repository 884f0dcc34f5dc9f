import type { SentenceScore } from "../../schemas/metrics";
import { FRAMING_OPENERS } from "./data/lexicon";
import { detectorLogit, type LinearModel } from "./detector";
import { ngramOccurrences, ngramSumsByRange } from "./ngrams";
import { framingPhrasesEndingWith, phraseEndsAt } from "./signature";
import type { TokenizedText } from "./tokenize";
import { WordBit } from "./word-facts";

/** What the sentence model reads of one sentence. */
export interface SentenceCounts {
  /** Summed weights of the skeleton n-grams starting in the sentence, and their number. */
  evidence: number;
  occurrences: number;
  words: number;
  stockWords: number;
  framing: number;
}

/**
 * The sentence model: a logistic regression (log-odds of human authorship) over three measures of
 * a sentence and its neighbours (function-word n-gram log-odds, stock-word density and framing per
 * sentence, in that order; see `rangeFeatures`), fitted by npm run fit:detector.
 */
export type SentenceModel = LinearModel;

/**
 * A text is `mixed` when, at its strongest split (see `splitOf`), both parts have at least
 * `sentencesPerSide` sentences and the sentence model, reading each part as a whole, gives one an AI
 * probability of at least `confidentAi` and the other at most `confidentHuman` (chosen on the
 * spliced texts of npm run eval:detector so that about 2 % of pure texts are called mixed).
 */
const MIXED = { sentencesPerSide: 2, confidentAi: 0.7, confidentHuman: 0.3 };

/** Framing phrases ending at word `index` that start at or after word `first`. */
function framingEndingAt(words: readonly string[], first: number, index: number): number {
  const phrases = framingPhrasesEndingWith(words[index] as string);
  if (phrases === undefined) return 0;
  let found = 0;
  for (const phrase of phrases)
    if (index - phrase.length + 1 >= first && phraseEndsAt(words, index, phrase)) found += 1;
  return found;
}

/**
 * What the sentence model reads of each sentence of a tokenized text, with the detector's n-gram
 * table; `known`: the counts of its first sentences, already read (a growing text's closed ones).
 */
export function sentenceCounts(
  tokenized: TokenizedText,
  table: Readonly<Record<string, number>>,
  known: readonly SentenceCounts[] = [],
): SentenceCounts[] {
  const { sentences, sentenceBounds, words, indexed } = tokenized;
  const first = Math.min(known.length, sentences.length);
  const evidence = ngramSumsByRange(tokenized.skeleton, sentenceBounds, table, first);
  const counts: SentenceCounts[] = known.slice(0, first);
  for (let sentence = first; sentence < sentences.length; sentence += 1) {
    const { start, end } = sentences[sentence] as { start: number; end: number };
    let stockWords = 0;
    let framing = FRAMING_OPENERS.has(words[start] as string) ? 1 : 0;
    for (let index = start; index < end; index += 1) {
      if (((indexed.bits[indexed.ids[index] as number] as number) & WordBit.stockWord) !== 0) stockWords += 1;
      framing += framingEndingAt(words, start, index);
    }
    const tokens =
      (sentenceBounds[4 * sentence + 3] as number) - (sentenceBounds[4 * sentence + 2] as number);
    counts.push({
      evidence: evidence[sentence - first] as number,
      occurrences: ngramOccurrences(tokens),
      words: end - start,
      stockWords,
      framing,
    });
  }
  return counts;
}

/** The sentence model's features for sentence `index`: itself and its neighbours on either side. */
export function sentenceFeatures(counts: readonly SentenceCounts[], index: number): (number | undefined)[] {
  return rangeFeatures(counts, Math.max(0, index - 1), Math.min(counts.length, index + 2));
}

/** The sentence model's features for the sentences `[from, to)` taken together. */
function rangeFeatures(counts: readonly SentenceCounts[], from: number, to: number): (number | undefined)[] {
  let evidence = 0;
  let occurrences = 0;
  let words = 0;
  let stockWords = 0;
  let framing = 0;
  let sentences = 0;
  for (let other = from; other < to; other += 1) {
    const sentence = counts[other] as SentenceCounts;
    evidence += sentence.evidence;
    occurrences += sentence.occurrences;
    words += sentence.words;
    stockWords += sentence.stockWords;
    framing += sentence.framing;
    sentences += 1;
  }
  return [
    occurrences === 0 ? undefined : evidence / occurrences,
    words === 0 ? undefined : stockWords / words,
    framing / sentences,
  ];
}

/** Per-sentence scores of a text and whether it reads as part human, part AI. */
export interface SentenceAnalysis {
  sentences: SentenceScore[];
  mixed: boolean;
  /** Index of the first sentence after the strongest change between a human and an AI part, if any. */
  boundary: number | undefined;
  /** What was read of each sentence (see `sentenceCounts`), to pass on as `known` when the text grows. */
  counts: SentenceCounts[];
}

/**
 * Scores each sentence of a tokenized text (with its neighbours) for AI authorship, and calls the
 * text mixed when it splits into two parts of at least two sentences each, one confidently AI
 * (probability ≥ 0.7, the part read as a whole) and the other confidently human (≤ 0.3), at the
 * split where the two parts' mean sentence log-odds differ most.
 */
export function analyzeSentences(
  tokenized: TokenizedText,
  model: SentenceModel,
  table: Readonly<Record<string, number>>,
  known: readonly SentenceCounts[] = [],
): SentenceAnalysis {
  const counts = sentenceCounts(tokenized, table, known);
  const bounds = tokenized.sentenceBounds;
  const logits = counts.map((_, index) => detectorLogit(model, sentenceFeatures(counts, index)));
  const sentences = logits.map((logit, index) => ({
    start: bounds[4 * index] as number,
    end: bounds[4 * index + 1] as number,
    ai_probability: Math.round(10_000 / (1 + Math.exp(logit))) / 10_000,
  }));
  const { boundary } = splitOf(logits);
  if (boundary === undefined) return { sentences, mixed: false, boundary, counts };
  // Each part read as a whole: its pooled measures give the model more evidence than one window.
  const aiShare = (from: number, to: number) =>
    1 / (1 + Math.exp(detectorLogit(model, rangeFeatures(counts, from, to))));
  const before = aiShare(0, boundary);
  const after = aiShare(boundary, counts.length);
  const confident = (ai: number, human: number) => ai >= MIXED.confidentAi && human <= MIXED.confidentHuman;
  return { sentences, mixed: confident(before, after) || confident(after, before), boundary, counts };
}

/**
 * Where a sequence of sentence log-odds (of human authorship) splits most strongly in two parts of
 * at least `MIXED.sentencesPerSide` sentences: the split with the largest difference of the parts'
 * mean log-odds, weighted by √(n₁·n₂/n). `undefined` for too few sentences.
 */
export function splitOf(logits: readonly number[]): { boundary: number | undefined } {
  const count = logits.length;
  const side = MIXED.sentencesPerSide;
  if (count < 2 * side) return { boundary: undefined };
  const total = logits.reduce((sum, logit) => sum + logit, 0);
  let best = -1;
  let boundary = side;
  let left = 0;
  for (let split = 1; split < count; split += 1) {
    left += logits[split - 1] as number;
    if (split < side || count - split < side) continue;
    const difference = Math.abs(left / split - (total - left) / (count - split));
    const strength = difference * Math.sqrt((split * (count - split)) / count);
    if (strength > best) {
      best = strength;
      boundary = split;
    }
  }
  return { boundary };
}
