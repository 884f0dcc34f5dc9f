import type { SentenceSpan } from "./tokenize";

/** Mean and standard deviation of a list of numbers (0 and 0 when empty). */
export function meanAndDeviation(values: ArrayLike<number>): { mean: number; deviation: number } {
  if (values.length === 0) return { mean: 0, deviation: 0 };
  let sum = 0;
  for (let index = 0; index < values.length; index += 1) sum += values[index] as number;
  const mean = sum / values.length;
  let squares = 0;
  for (let index = 0; index < values.length; index += 1) squares += ((values[index] as number) - mean) ** 2;
  return { mean, deviation: Math.sqrt(squares / values.length) };
}

/**
 * Burstiness of sentence lengths: standard deviation / mean (coefficient of variation), ≥ 0.
 * 0 = every sentence the same length; human prose usually varies more than model prose.
 */
export function burstiness(sentenceLengths: ArrayLike<number>): number {
  const { mean, deviation } = meanAndDeviation(sentenceLengths);
  return mean === 0 ? 0 : deviation / mean;
}

/**
 * Sentence coherence: mean cosine similarity of the content-word counts of each pair of adjacent
 * sentences, 0–1; higher = consecutive sentences share more vocabulary. Undefined below two sentences.
 * `contentIds[index]` numbers word `index`'s content form (−1 = not a content word), below `distinct`.
 */
export function sentenceCoherence(
  sentences: readonly SentenceSpan[],
  contentIds: Int32Array,
  distinct: number,
): number | undefined {
  if (sentences.length < 2) return undefined;
  let previousCounts = new Uint32Array(distinct);
  let currentCounts = new Uint32Array(distinct);
  let previousNorm = 0;
  let total = 0;
  for (let sentence = 0; sentence < sentences.length; sentence += 1) {
    const { start, end } = sentences[sentence] as SentenceSpan;
    let norm = 0;
    let dot = 0;
    for (let index = start; index < end; index += 1) {
      const id = contentIds[index] as number;
      if (id < 0) continue;
      norm += 2 * (currentCounts[id] as number) + 1;
      currentCounts[id] = (currentCounts[id] as number) + 1;
      dot += previousCounts[id] as number;
    }
    if (sentence > 0) total += previousNorm === 0 || norm === 0 ? 0 : dot / Math.sqrt(previousNorm * norm);
    if (sentence > 0) clearCounts(previousCounts, contentIds, sentences[sentence - 1] as SentenceSpan);
    const cleared = previousCounts;
    previousCounts = currentCounts;
    currentCounts = cleared;
    previousNorm = norm;
  }
  return total / (sentences.length - 1);
}

function clearCounts(counts: Uint32Array, contentIds: Int32Array, { start, end }: SentenceSpan): void {
  for (let index = start; index < end; index += 1) {
    const id = contentIds[index] as number;
    if (id >= 0) counts[id] = 0;
  }
}
