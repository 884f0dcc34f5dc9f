import { syllable } from "syllable";

/** Counts every readability formula is built from. */
export interface ReadabilityCounts {
  words: number;
  sentences: number;
  syllables: number;
  /** Words of three or more syllables (SMOG's polysyllables, Gunning's complex words). */
  polysyllables: number;
  /** Letters and digits inside words. */
  characters: number;
}

/** Classic readability formulas; grade-level scores are US school grades. */
export interface ReadabilityScores {
  /** 206.835 − 1.015·(words/sentences) − 84.6·(syllables/words); higher = easier, about 0–100. */
  fleschReadingEase: number;
  /** 0.39·(words/sentences) + 11.8·(syllables/words) − 15.59. */
  fleschKincaidGrade: number;
  /** 0.4·(words/sentences + 100·polysyllables/words). */
  gunningFog: number;
  /** 1.043·√(polysyllables·30/sentences) + 3.1291. */
  smog: number;
  /** 0.0588·L − 0.296·S − 15.8, L = characters per 100 words, S = sentences per 100 words. */
  colemanLiau: number;
  /** 4.71·(characters/words) + 0.5·(words/sentences) − 21.43. */
  automatedReadabilityIndex: number;
  wordsPerSentence: number;
}

const LONGEST_WORD_FOR_SYLLABLE_RULES = 30;
const CACHE_LIMIT = 20_000;
const syllablesByWord = new Map<string, number>();

/**
 * Syllables in one word (package `syllable`, memoized per isolate); tokens over 30 characters
 * (URLs, hashes) count 10.
 */
export function countSyllables(word: string): number {
  if (word.length > LONGEST_WORD_FOR_SYLLABLE_RULES) return LONGEST_WORD_FOR_SYLLABLE_RULES / 3;
  const known = syllablesByWord.get(word);
  if (known !== undefined) return known;
  if (syllablesByWord.size >= CACHE_LIMIT) syllablesByWord.clear();
  const counted = Math.max(1, syllable(word));
  syllablesByWord.set(word, counted);
  return counted;
}

/** Applies the six readability formulas to counts; every value is finite, 0 for an empty text. */
export function readabilityFromCounts(counts: ReadabilityCounts): ReadabilityScores {
  const words = Math.max(counts.words, 1);
  const sentences = Math.max(counts.sentences, 1);
  const wordsPerSentence = counts.words / sentences;
  const syllablesPerWord = counts.syllables / words;
  const charactersPerWord = counts.characters / words;
  if (counts.words === 0) {
    return {
      fleschReadingEase: 0,
      fleschKincaidGrade: 0,
      gunningFog: 0,
      smog: 0,
      colemanLiau: 0,
      automatedReadabilityIndex: 0,
      wordsPerSentence: 0,
    };
  }
  return {
    fleschReadingEase: 206.835 - 1.015 * wordsPerSentence - 84.6 * syllablesPerWord,
    fleschKincaidGrade: 0.39 * wordsPerSentence + 11.8 * syllablesPerWord - 15.59,
    gunningFog: 0.4 * (wordsPerSentence + (100 * counts.polysyllables) / words),
    smog: 1.043 * Math.sqrt((counts.polysyllables * 30) / sentences) + 3.1291,
    colemanLiau: 0.0588 * charactersPerWord * 100 - 0.296 * (sentences / words) * 100 - 15.8,
    automatedReadabilityIndex: 4.71 * charactersPerWord + 0.5 * wordsPerSentence - 21.43,
    wordsPerSentence,
  };
}
