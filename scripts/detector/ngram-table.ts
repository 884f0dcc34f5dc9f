/** Numbers n-gram strings so tables can be fitted over integer arrays. */
export class GramIndex {
  readonly grams: string[] = [];
  readonly #idByGram = new Map<string, number>();

  /** The ids of a text's distinct n-grams, numbering new ones as they come. */
  idsOf(grams: Iterable<string>): Int32Array {
    const ids: number[] = [];
    for (const gram of grams) {
      let id = this.#idByGram.get(gram);
      if (id === undefined) {
        id = this.grams.length;
        this.#idByGram.set(gram, id);
        this.grams.push(gram);
      }
      ids.push(id);
    }
    return Int32Array.from(ids);
  }
}

/**
 * Learns an n-gram table for the detector: naive-Bayes log-count ratios of human vs AI texts over
 * n-grams counted once per text (add-`smoothing`), keeping the `size` n-grams seen in at least
 * `minimumDocuments` texts with the largest |ratio| × √(texts containing it): strong and common
 * evidence first. Positive weight = the n-gram leans human. A text counts `weights[index]` times
 * (its domain's share, see scripts/detector/pipeline.ts). `documents` hold ids of `index`. Deterministic.
 */
export function fitNgramTable(
  documents: readonly Int32Array[],
  labels: readonly number[],
  index: GramIndex,
  {
    size = 1500,
    minimumDocuments = 2,
    smoothing = 1,
    weights = undefined as readonly number[] | undefined,
  } = {},
): Record<string, number> {
  const gramCount = index.grams.length;
  const humanCounts = new Float64Array(gramCount);
  const aiCounts = new Float64Array(gramCount);
  const documentCounts = new Int32Array(gramCount);
  documents.forEach((ids, position) => {
    const counts = labels[position] === 1 ? humanCounts : aiCounts;
    const weight = weights?.[position] ?? 1;
    for (const id of ids) {
      counts[id] = (counts[id] as number) + weight;
      documentCounts[id] = (documentCounts[id] as number) + 1;
    }
  });
  const kept: number[] = [];
  let humanTotal = 0;
  let aiTotal = 0;
  for (let id = 0; id < gramCount; id += 1) {
    if ((documentCounts[id] as number) < minimumDocuments) continue;
    kept.push(id);
    humanTotal += (humanCounts[id] as number) + smoothing;
    aiTotal += (aiCounts[id] as number) + smoothing;
  }
  const ranked = kept.map((id) => {
    const ratio =
      Math.log(((humanCounts[id] as number) + smoothing) / humanTotal) -
      Math.log(((aiCounts[id] as number) + smoothing) / aiTotal);
    const gram = index.grams[id] as string;
    return { gram, ratio, strength: Math.abs(ratio) * Math.sqrt(documentCounts[id] as number) };
  });
  ranked.sort((a, b) => b.strength - a.strength || (a.gram < b.gram ? -1 : 1));
  const chosen = ranked.slice(0, size).sort((a, b) => (a.gram < b.gram ? -1 : 1));
  return Object.fromEntries(chosen.map(({ gram, ratio }) => [gram, Math.round(ratio * 100) / 100]));
}
