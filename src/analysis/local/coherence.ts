import type { SentenceSpan } from "./tokenize";

/** Mean and standard deviation of a list of numbers (0 and 0 when empty). */
export function meanAndDeviation(values: readonly number[]): { mean: number; deviation: number } {
  if (values.length === 0) return { mean: 0, deviation: 0 };
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { mean, deviation: Math.sqrt(variance) };
}

/**
 * Burstiness of sentence lengths: standard deviation / mean (coefficient of variation), ≥ 0.
 * 0 = every sentence the same length; human prose usually varies more than model prose.
 */
export function burstiness(sentenceLengths: readonly number[]): number {
  const { mean, deviation } = meanAndDeviation(sentenceLengths);
  return mean === 0 ? 0 : deviation / mean;
}

function cosine(left: Map<string, number>, right: Map<string, number>): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (const [word, count] of left) {
    leftNorm += count * count;
    dot += count * (right.get(word) ?? 0);
  }
  for (const count of right.values()) rightNorm += count * count;
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
}

/**
 * Sentence coherence: mean cosine similarity of the content-word counts of each pair of adjacent
 * sentences, 0–1; higher = consecutive sentences share more vocabulary. Undefined below two sentences.
 */
export function sentenceCoherence(
  sentences: readonly SentenceSpan[],
  contentWordAt: (index: number) => string | undefined,
): number | undefined {
  if (sentences.length < 2) return undefined;
  const bags = sentences.map(({ start, end }) => {
    const bag = new Map<string, number>();
    for (let index = start; index < end; index += 1) {
      const word = contentWordAt(index);
      if (word) bag.set(word, (bag.get(word) ?? 0) + 1);
    }
    return bag;
  });
  let total = 0;
  for (let index = 1; index < bags.length; index += 1) {
    total += cosine(bags[index - 1] as Map<string, number>, bags[index] as Map<string, number>);
  }
  return total / (bags.length - 1);
}
