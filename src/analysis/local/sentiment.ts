import { lazy } from "../../lib/lazy";
import type { Metrics } from "../../schemas/metrics";
import { AFINN_165_BY_VALENCE } from "./data/word-lists";
import { frontDecode } from "./front-coding";
import { round } from "./round";

type SentimentSubjectivity = NonNullable<Metrics["sentiment_subjectivity"]>;

/** Words that flip the valence of the next three words (`not good`, `never happy`). */
const NEGATORS: ReadonlySet<string> = new Set([
  "not",
  "no",
  "never",
  "none",
  "nobody",
  "nothing",
  "neither",
  "nor",
  "without",
  "cannot",
]);
const NEGATION_REACH = 3;
/** VADER's normalisation constant: a valence sum of ±√15 ≈ 3.9 maps to a compound of ±0.71. */
const VADER_ALPHA = 15;
/** VADER's cut-offs for a neutral compound score, ±0.05, on the 0–1 scale. */
const NEUTRAL_BAND = 0.025;
/** Texts longer than this many words are scored as if scaled down to it, so length does not saturate the score. */
const REFERENCE_WORDS = 100;
/** Share of opinion words at which `subjectivity_score` reaches 1. */
const FULLY_SUBJECTIVE_SHARE = 0.2;

/** A word's part in the sentiment score. */
export interface Mood {
  readonly negates: boolean;
  readonly valence: number;
}

/** AFINN-165's valences by word, unpacked on first use. */
const VALENCES = lazy(
  (): ReadonlyMap<string, number> =>
    new Map(
      AFINN_165_BY_VALENCE.flatMap(([valence, words]) =>
        frontDecode(words).map((one) => [one, valence] as const),
      ),
    ),
);

/** AFINN-165's valence of a word, 0 for words it does not list. */
function valenceOf(word: string): number {
  return VALENCES().get(word) ?? 0;
}

/** A lowercased word's mood (kept with the word's facts, see `factsOf`). */
export function moodOf(word: string): Mood {
  const negates = NEGATORS.has(word) || word.endsWith("n't") || word.endsWith("n’t");
  return { negates, valence: valenceOf(word) };
}

/**
 * The running sums behind `sentimentSubjectivity`: fed each word in reading order (`word`) and
 * each sentence end (`closeSentence`).
 */
export class SentimentTally {
  state = SentimentTally.#start();

  static #start() {
    return { valenceSum: 0, opinionWords: 0, lastNegator: Number.NEGATIVE_INFINITY };
  }

  clear(): void {
    this.state = SentimentTally.#start();
  }

  /** Word `index`, which flips the valence of the next words (`negates`) or carries `valence`. */
  word(index: number, negates: boolean, valence: number): void {
    const state = this.state;
    if (negates) {
      state.lastNegator = index;
      return;
    }
    if (valence === 0) return;
    state.opinionWords += 1;
    state.valenceSum += index - state.lastNegator <= NEGATION_REACH ? -valence : valence;
  }

  closeSentence(): void {
    this.state.lastNegator = Number.NEGATIVE_INFINITY;
  }

  save(): SentimentTally["state"] {
    return { ...this.state };
  }

  /**
   * Sentiment on Neo's scales from the AFINN-165 lexicon (package `afinn-165`, valence −5…+5 per
   * word): valences summed, a word within three words after a negator flipped, the sum scaled to a
   * 100-word text and squashed as VADER does (`s / √(s² + 15)`), then moved to 0–1 with 0.5 neutral.
   * Subjectivity is the share of words that carry any valence, reaching 1 at one word in five.
   */
  result(wordCount: number): SentimentSubjectivity {
    const scaled = this.state.valenceSum * (REFERENCE_WORDS / Math.max(wordCount, REFERENCE_WORDS));
    const compound = scaled / Math.sqrt(scaled * scaled + VADER_ALPHA);
    const sentimentScore = (compound + 1) / 2;
    const label =
      sentimentScore > 0.5 + NEUTRAL_BAND
        ? "positive"
        : sentimentScore < 0.5 - NEUTRAL_BAND
          ? "negative"
          : "neutral";
    const opinionShare = wordCount === 0 ? 0 : this.state.opinionWords / wordCount;
    return {
      sentiment_score: round(sentimentScore),
      sentiment_label: label,
      subjectivity_score: round(Math.min(1, opinionShare / FULLY_SUBJECTIVE_SHARE)),
    };
  }
}
