import { meanAndDeviation } from "./coherence";
import type { TokenizedText } from "./tokenize";

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

/** Sentence-level rhythm of a text; `surprisalAt(index)` is the surprisal of word `index` or undefined. */
export function sentenceRhythm(
  { words, sentences }: TokenizedText,
  surprisalAt: (index: number) => number | undefined,
): SentenceRhythm {
  if (sentences.length === 0)
    return { lengthEntropy: 0, adjacentLengthChange: 0, surprisalSpread: 0, openingDiversity: 0 };
  const lengths = sentences.map(({ start, end }) => end - start);
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
    const values: number[] = [];
    for (let index = start; index < end; index += 1) {
      const value = surprisalAt(index);
      if (value !== undefined) values.push(value);
    }
    return meanAndDeviation(values).mean;
  });
  const openings = new Set(sentences.map(({ start }) => words[start]));
  return {
    lengthEntropy,
    adjacentLengthChange: lengths.length < 2 ? 0 : change / (lengths.length - 1) / meanLength,
    surprisalSpread: meanAndDeviation(sentenceSurprisals).deviation,
    openingDiversity: openings.size / sentences.length,
  };
}
