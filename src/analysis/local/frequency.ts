import { FREQUENCY_BANDS, SUBTLEX_TOTAL_COUNT } from "./data/english-frequency";

/** Natural-log probability given to a word outside the frequency list (half the rarest band's count). */
const OUT_OF_VOCABULARY_LOG_COUNT = Math.log(2 ** ((FREQUENCY_BANDS.at(-1)?.[0] ?? 1) - 1));
const LOG_TOTAL = Math.log(SUBTLEX_TOTAL_COUNT);
const VERY_COMMON_LOG_COUNT = 14.5 * Math.LN2;

let logCountByWord: Map<string, number> | undefined;

function table(): Map<string, number> {
  if (logCountByWord) return logCountByWord;
  logCountByWord = new Map();
  for (const [band, words] of FREQUENCY_BANDS) {
    const logCount = (band + 0.25) * Math.LN2;
    for (const word of words.split(" ")) logCountByWord.set(word, logCount);
  }
  return logCountByWord;
}

/** The part of a word the frequency list knows: `don't` → `don`, `leader's` → `leader`. */
function lookupForm(word: string): string {
  let apostrophe = word.indexOf("'");
  if (apostrophe < 0) apostrophe = word.indexOf("’");
  return apostrophe > 0 ? word.slice(0, apostrophe) : word;
}

/** Whether a word is among the 10,000 most frequent English words. */
export function isCommonWord(word: string): boolean {
  return table().has(lookupForm(word));
}

/**
 * Surprisal of a word under a unigram model of spoken English (SUBTLEX-US): `-ln p(word)`, in nats.
 * Frequent words score about 3, rare and unknown words about 15.
 */
export function surprisal(word: string): number {
  const logCount = table().get(lookupForm(word)) ?? OUT_OF_VOCABULARY_LOG_COUNT;
  return LOG_TOTAL - logCount;
}

/** Whether a word is among roughly the 250 most frequent English words (function words, mostly). */
export function isVeryCommonWord(word: string): boolean {
  return (table().get(lookupForm(word)) ?? 0) >= VERY_COMMON_LOG_COUNT;
}
