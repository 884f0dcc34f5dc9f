import { STOCK_BIGRAMS, STOCK_PHRASES, STOCK_TRIGRAMS } from "./data/lexicon";
import type { IndexedWords, WordFacts } from "./word-facts";

/** Densities of stock assistant wording, each as matches per word (0–1, usually below 0.05). */
export interface SignatureDensities {
  phraseDensity: number;
  bigramDensity: number;
  trigramDensity: number;
  wordDensity: number;
}

const PHRASES_BY_FIRST_WORD = new Map<string, (readonly string[])[]>();
for (const phrase of STOCK_PHRASES) {
  const first = phrase[0] as string;
  PHRASES_BY_FIRST_WORD.set(first, [...(PHRASES_BY_FIRST_WORD.get(first) ?? []), phrase]);
}

const NGRAM_FIRST_WORDS: ReadonlySet<string> = new Set(
  [...STOCK_BIGRAMS, ...STOCK_TRIGRAMS].map((ngram) => ngram.slice(0, ngram.indexOf(" "))),
);

/** Stock phrases that open with `word`, if any. */
export function stockPhrasesStartingWith(word: string): readonly (readonly string[])[] | undefined {
  return PHRASES_BY_FIRST_WORD.get(word);
}

/** Whether some stock bigram or trigram opens with `word`. */
export function opensStockNgram(word: string): boolean {
  return NGRAM_FIRST_WORDS.has(word);
}

function phraseStartsAt(words: readonly string[], index: number, phrase: readonly string[]): boolean {
  for (let offset = 1; offset < phrase.length; offset += 1) {
    if (words[index + offset] !== phrase[offset]) return false;
  }
  return true;
}

/** Counts stock words, bigrams, trigrams and longer phrases in one pass over the words. */
export function signatureDensities(
  words: readonly string[],
  { ids, facts }: IndexedWords,
): SignatureDensities {
  let phrases = 0;
  let bigrams = 0;
  let trigrams = 0;
  let stockWords = 0;
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] as string;
    const wordFacts = facts[ids[index] as number] as WordFacts;
    if (wordFacts.isStockWord) stockWords += 1;
    if (wordFacts.stockPhrases !== undefined) {
      for (const phrase of wordFacts.stockPhrases) if (phraseStartsAt(words, index, phrase)) phrases += 1;
    }
    const next = words[index + 1];
    if (next === undefined || !wordFacts.opensStockNgram) continue;
    const bigram = `${word} ${next}`;
    if (STOCK_BIGRAMS.has(bigram)) bigrams += 1;
    const third = words[index + 2];
    if (third !== undefined && STOCK_TRIGRAMS.has(`${bigram} ${third}`)) trigrams += 1;
  }
  const perWord = (count: number) => (words.length === 0 ? 0 : count / words.length);
  return {
    phraseDensity: perWord(phrases),
    bigramDensity: perWord(bigrams),
    trigramDensity: perWord(trigrams),
    wordDensity: perWord(stockWords),
  };
}
