/** Area under the ROC curve of `scores` for `labels` (1 = positive), ties counted half. */
export function auroc(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((_, index) => index).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && scores[order[end] as number] === scores[order[start] as number]) end += 1;
    const meanRank = (start + end + 1) / 2;
    for (let index = start; index < end; index += 1) {
      if (labels[order[index] as number] === 1) {
        positives += 1;
        positiveRankSum += meanRank;
      }
    }
    start = end;
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Small deterministic pseudo-random generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Assigns each row a fold so that rows of one source document (same first 8 words) always share
 * a fold; documents are shuffled with a fixed seed, then dealt round-robin.
 */
export function foldsBySourceDocument(texts: readonly string[], foldCount: number, seed: number): number[] {
  const documentKey = (text: string) => text.split(/\s+/).slice(0, 8).join(" ").toLowerCase();
  const documents = [...new Set(texts.map(documentKey))].sort();
  const random = seededRandom(seed);
  for (let index = documents.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [documents[index], documents[other]] = [documents[other] as string, documents[index] as string];
  }
  const foldOf = new Map(documents.map((key, index) => [key, index % foldCount]));
  return texts.map((text) => foldOf.get(documentKey(text)) as number);
}

/**
 * Share of AI texts (label 0) scoring below the cut that leaves at most `falsePositiveRate` of the
 * human texts (label 1) below it: the detection rate at that false-positive rate (higher score = human).
 */
export function detectionAtFalsePositiveRate(
  scores: readonly number[],
  labels: readonly number[],
  falsePositiveRate: number,
): number {
  const human = scores.filter((_, index) => labels[index] === 1).sort((a, b) => a - b);
  const ai = scores.filter((_, index) => labels[index] !== 1);
  const cut = human[Math.floor(falsePositiveRate * human.length)] ?? Number.POSITIVE_INFINITY;
  return ai.filter((score) => score < cut).length / Math.max(1, ai.length);
}

/** Share of texts with `label` scoring below `threshold` (called AI). */
export function shareBelow(
  scores: readonly number[],
  labels: readonly number[],
  label: number,
  threshold: number,
): number {
  const ofLabel = scores.filter((_, index) => labels[index] === label);
  return ofLabel.filter((score) => score < threshold).length / Math.max(1, ofLabel.length);
}

/** Wilson score 95 % interval of a proportion `successes / trials`; [0, 1] when there are no trials. */
export function wilsonInterval(successes: number, trials: number): [number, number] {
  if (trials === 0) return [0, 1];
  const z = 1.959964;
  const share = successes / trials;
  const denominator = 1 + (z * z) / trials;
  const centre = (share + (z * z) / (2 * trials)) / denominator;
  const half =
    (z * Math.sqrt((share * (1 - share)) / trials + (z * z) / (4 * trials * trials))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
