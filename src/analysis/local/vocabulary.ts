import { isCommonWord } from "./frequency";

/** Distinct words / words (type–token ratio), 0–1; falls with text length. */
export function typeTokenRatio(words: readonly string[]): number {
  return words.length === 0 ? 0 : new Set(words).size / words.length;
}

/**
 * Moving-average type–token ratio: the mean TTR of every 50-word window, 0–1, higher = more varied.
 * Unlike plain TTR it does not fall as a text grows. Texts shorter than the window get plain TTR.
 */
export function movingAverageTypeTokenRatio(words: readonly string[], window = 50): number {
  if (words.length <= window) return typeTokenRatio(words);
  const counts = new Map<string, number>();
  let distinct = 0;
  let sum = 0;
  for (let index = 0; index < words.length; index += 1) {
    const entering = words[index] as string;
    const enteringCount = counts.get(entering) ?? 0;
    if (enteringCount === 0) distinct += 1;
    counts.set(entering, enteringCount + 1);
    if (index >= window) {
      const leaving = words[index - window] as string;
      const leavingCount = (counts.get(leaving) ?? 1) - 1;
      if (leavingCount === 0) distinct -= 1;
      counts.set(leaving, leavingCount);
    }
    if (index >= window - 1) sum += distinct / window;
  }
  return sum / (words.length - window + 1);
}

function mtldOneWay(words: readonly string[], threshold: number, reverse: boolean): number {
  let factors = 0;
  let seen = new Set<string>();
  let length = 0;
  for (let step = 0; step < words.length; step += 1) {
    const word = words[reverse ? words.length - 1 - step : step] as string;
    seen.add(word);
    length += 1;
    if (seen.size / length <= threshold) {
      factors += 1;
      seen = new Set();
      length = 0;
    }
  }
  if (length > 0) factors += (1 - seen.size / length) / (1 - threshold);
  return factors === 0 ? words.length : words.length / factors;
}

/**
 * Measure of textual lexical diversity (McCarthy & Jarvis 2010): the mean number of words a run
 * needs before its TTR falls to 0.72, averaged over a forward and a backward pass. ≥ 0, higher =
 * more varied; typical English prose scores 60–120.
 */
export function mtld(words: readonly string[], threshold = 0.72): number {
  if (words.length === 0) return 0;
  return (mtldOneWay(words, threshold, false) + mtldOneWay(words, threshold, true)) / 2;
}

/** Share of alphabetic words outside the 10,000 most frequent English words, 0–1. */
export function rareWordRatio(words: readonly string[]): number {
  let alphabetic = 0;
  let rare = 0;
  for (const word of words) {
    if (!/^\p{L}/u.test(word)) continue;
    alphabetic += 1;
    if (!isCommonWord(word)) rare += 1;
  }
  return alphabetic === 0 ? 0 : rare / alphabetic;
}

/**
 * Share of content-word occurrences taken by the five most repeated content words, 0–1;
 * higher = the text keeps returning to a few key terms.
 */
export function keyTermSignificance(contentWords: readonly string[]): number {
  if (contentWords.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const word of contentWords) counts.set(word, (counts.get(word) ?? 0) + 1);
  const topFive = [...counts.values()].sort((a, b) => b - a).slice(0, 5);
  return topFive.reduce((sum, count) => sum + count, 0) / contentWords.length;
}
