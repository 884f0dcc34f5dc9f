import { meanAndDeviation } from "./coherence";
import type { SentenceSpan, TokenizedText } from "./tokenize";

/** How sentences vary from one to the next; model prose tends to keep an even rhythm. */
export interface SentenceRhythm {
  /** Entropy (nats) of sentence lengths binned by powers of two (1, 2–3, 4–7, … 64+ words). */
  lengthEntropy: number;
  /** Mean absolute change of length between adjacent sentences / mean sentence length. */
  adjacentLengthChange: number;
  /** Standard deviation across sentences of each sentence's mean word surprisal. */
  surprisalSpread: number;
  /** Distinct sentence-opening words / sentences. */
  openingDiversity: number;
}

/** Sentence-level rhythm of a text; `surprisalByWord[index]` is the surprisal of word `index` or NaN. */
export function sentenceRhythm(
  { words, sentences }: TokenizedText,
  surprisalByWord: Float64Array,
): SentenceRhythm {
  if (sentences.length === 0)
    return { lengthEntropy: 0, adjacentLengthChange: 0, surprisalSpread: 0, openingDiversity: 0 };
  const lengths = sentenceLengths(sentences);
  const bins = new Map<number, number>();
  for (const length of lengths) {
    const bin = Math.min(6, Math.floor(Math.log2(length + 1)));
    bins.set(bin, (bins.get(bin) ?? 0) + 1);
  }
  let lengthEntropy = 0;
  for (const count of bins.values()) {
    const share = count / lengths.length;
    lengthEntropy -= share * Math.log(share);
  }
  let change = 0;
  for (let index = 1; index < lengths.length; index += 1)
    change += Math.abs((lengths[index] as number) - (lengths[index - 1] as number));
  const meanLength = meanAndDeviation(lengths).mean;
  const sentenceSurprisals = sentences.map(({ start, end }) => {
    let sum = 0;
    let counted = 0;
    for (let index = start; index < end; index += 1) {
      const value = surprisalByWord[index] as number;
      if (Number.isNaN(value)) continue;
      sum += value;
      counted += 1;
    }
    return counted === 0 ? 0 : sum / counted;
  });
  const openings = new Set<string | undefined>();
  for (const { start } of sentences) openings.add(words[start]);
  return {
    lengthEntropy,
    adjacentLengthChange: lengths.length < 2 ? 0 : change / (lengths.length - 1) / meanLength,
    surprisalSpread: meanAndDeviation(sentenceSurprisals).deviation,
    openingDiversity: openings.size / sentences.length,
  };
}

/** Words per sentence. */
export function sentenceLengths(sentences: readonly SentenceSpan[]): Float64Array {
  const lengths = new Float64Array(sentences.length);
  for (let index = 0; index < sentences.length; index += 1) {
    const { start, end } = sentences[index] as SentenceSpan;
    lengths[index] = end - start;
  }
  return lengths;
}
