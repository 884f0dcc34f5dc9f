/**
 * Learns an n-gram table for the detector: naive-Bayes log-count ratios of human vs AI texts over
 * n-grams counted once per text (add-`smoothing`), keeping the `size` n-grams seen in at least
 * `minimumDocuments` texts with the largest |ratio| × √(texts containing it): strong and common
 * evidence first. Positive weight = the n-gram leans human. Deterministic.
 */
export function fitNgramTable(
  documents: readonly ReadonlySet<string>[],
  labels: readonly number[],
  { size = 1500, minimumDocuments = 2, smoothing = 1 } = {},
): Record<string, number> {
  const humanCounts = new Map<string, number>();
  const aiCounts = new Map<string, number>();
  documents.forEach((grams, index) => {
    const counts = labels[index] === 1 ? humanCounts : aiCounts;
    for (const gram of grams) counts.set(gram, (counts.get(gram) ?? 0) + 1);
  });
  const documentFrequency = (gram: string) => (humanCounts.get(gram) ?? 0) + (aiCounts.get(gram) ?? 0);
  const kept = [...new Set([...humanCounts.keys(), ...aiCounts.keys()])].filter(
    (gram) => documentFrequency(gram) >= minimumDocuments,
  );
  let humanTotal = 0;
  let aiTotal = 0;
  for (const gram of kept) {
    humanTotal += (humanCounts.get(gram) ?? 0) + smoothing;
    aiTotal += (aiCounts.get(gram) ?? 0) + smoothing;
  }
  const ranked = kept.map((gram) => {
    const ratio =
      Math.log(((humanCounts.get(gram) ?? 0) + smoothing) / humanTotal) -
      Math.log(((aiCounts.get(gram) ?? 0) + smoothing) / aiTotal);
    return { gram, ratio, strength: Math.abs(ratio) * Math.sqrt(documentFrequency(gram)) };
  });
  ranked.sort((a, b) => b.strength - a.strength || (a.gram < b.gram ? -1 : 1));
  const chosen = ranked.slice(0, size).sort((a, b) => (a.gram < b.gram ? -1 : 1));
  return Object.fromEntries(chosen.map(({ gram, ratio }) => [gram, Math.round(ratio * 100) / 100]));
}
