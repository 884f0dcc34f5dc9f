/**
 * Learns a word lexicon for the detector: smoothed log-odds of each word in human vs AI texts,
 * keeping the `size` words that separate the classes most among words seen in at least
 * `minimumDocuments` texts. Positive weight = the word leans human. Deterministic.
 */
export function fitLexicon(
  documents: readonly (readonly string[])[],
  labels: readonly number[],
  { size = 600, minimumDocuments = 10 } = {},
): Record<string, number> {
  const counts = [new Map<string, number>(), new Map<string, number>()];
  const documentFrequency = new Map<string, number>();
  const totals = [0, 0];
  documents.forEach((words, index) => {
    const label = labels[index] as number;
    const classCounts = counts[label] as Map<string, number>;
    totals[label] = (totals[label] as number) + words.length;
    for (const word of words) classCounts.set(word, (classCounts.get(word) ?? 0) + 1);
    for (const word of new Set(words)) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
  });
  const vocabularySize = documentFrequency.size;
  const [aiCounts, humanCounts] = counts as [Map<string, number>, Map<string, number>];
  const [aiTotal, humanTotal] = totals as [number, number];
  const candidates: [string, number][] = [];
  for (const [word, frequency] of documentFrequency) {
    if (frequency < minimumDocuments) continue;
    const human = Math.log(((humanCounts.get(word) ?? 0) + 1) / (humanTotal + vocabularySize));
    const ai = Math.log(((aiCounts.get(word) ?? 0) + 1) / (aiTotal + vocabularySize));
    candidates.push([word, human - ai]);
  }
  candidates.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1));
  const chosen = candidates.slice(0, size).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return Object.fromEntries(chosen.map(([word, weight]) => [word, Math.round(weight * 1000) / 1000]));
}
