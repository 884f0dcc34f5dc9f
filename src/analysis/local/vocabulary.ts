import type { IndexedWords } from "./word-facts";

/** Distinct words / words (type–token ratio), 0–1; falls with text length. */
export function typeTokenRatio({ ids, facts }: IndexedWords): number {
  return ids.length === 0 ? 0 : facts.length / ids.length;
}

/**
 * Moving-average type–token ratio: the mean TTR of every 50-word window, 0–1, higher = more varied.
 * Unlike plain TTR it does not fall as a text grows. Texts shorter than the window get plain TTR.
 */
export function movingAverageTypeTokenRatio(words: IndexedWords, window = 50): number {
  const { ids } = words;
  if (ids.length <= window) return typeTokenRatio(words);
  const counts = new Uint32Array(words.facts.length);
  let distinct = 0;
  let sum = 0;
  for (let index = 0; index < ids.length; index += 1) {
    const entering = ids[index] as number;
    if (counts[entering] === 0) distinct += 1;
    counts[entering] = (counts[entering] as number) + 1;
    if (index >= window) {
      const leaving = ids[index - window] as number;
      counts[leaving] = (counts[leaving] as number) - 1;
      if (counts[leaving] === 0) distinct -= 1;
    }
    if (index >= window - 1) sum += distinct / window;
  }
  return sum / (ids.length - window + 1);
}

function mtldOneWay({ ids, facts }: IndexedWords, threshold: number, reverse: boolean): number {
  const factorSeenIn = new Uint32Array(facts.length);
  let factors = 0;
  let distinct = 0;
  let length = 0;
  for (let step = 0; step < ids.length; step += 1) {
    const id = ids[reverse ? ids.length - 1 - step : step] as number;
    if (factorSeenIn[id] !== factors + 1) {
      factorSeenIn[id] = factors + 1;
      distinct += 1;
    }
    length += 1;
    if (distinct / length <= threshold) {
      factors += 1;
      distinct = 0;
      length = 0;
    }
  }
  if (length > 0) factors += (1 - distinct / length) / (1 - threshold);
  return factors === 0 ? ids.length : ids.length / factors;
}

/**
 * Measure of textual lexical diversity (McCarthy & Jarvis 2010): the mean number of words a run
 * needs before its TTR falls to 0.72, averaged over a forward and a backward pass. ≥ 0, higher =
 * more varied; typical English prose scores 60–120.
 */
export function mtld(words: IndexedWords, threshold = 0.72): number {
  if (words.ids.length === 0) return 0;
  return (mtldOneWay(words, threshold, false) + mtldOneWay(words, threshold, true)) / 2;
}

/** Share of alphabetic words outside the 10,000 most frequent English words, 0–1. */
export function rareWordRatio({ ids, facts }: IndexedWords): number {
  let alphabetic = 0;
  let rare = 0;
  for (const id of ids) {
    const wordFacts = facts[id];
    if (!wordFacts?.startsWithLetter) continue;
    alphabetic += 1;
    if (wordFacts.isRare) rare += 1;
  }
  return alphabetic === 0 ? 0 : rare / alphabetic;
}

/** Share of word bigrams that already occurred earlier in the text, 0–1. */
export function repeatedBigramShare({ ids, facts }: IndexedWords): number {
  if (ids.length < 2) return 0;
  const seen = new Set<number>();
  let repeated = 0;
  for (let index = 1; index < ids.length; index += 1) {
    const bigram = (ids[index - 1] as number) * facts.length + (ids[index] as number);
    if (seen.has(bigram)) repeated += 1;
    else seen.add(bigram);
  }
  return repeated / (ids.length - 1);
}

/**
 * Share of content-word occurrences taken by the five most repeated content words, 0–1;
 * higher = the text keeps returning to a few key terms. `contentIds` as from `contentWordIds`.
 */
export function keyTermSignificance(contentIds: Int32Array, distinctContentWords: number): number {
  const counts = new Uint32Array(distinctContentWords);
  let occurrences = 0;
  for (const id of contentIds) {
    if (id < 0) continue;
    counts[id] = (counts[id] as number) + 1;
    occurrences += 1;
  }
  if (occurrences === 0) return 0;
  counts.sort();
  let topFive = 0;
  for (let rank = 1; rank <= 5 && rank <= counts.length; rank += 1)
    topFive += counts[counts.length - rank] as number;
  return topFive / occurrences;
}
