import stopWordList from "stopwords-en/stopwords-en.json";
import { burstiness, meanAndDeviation, sentenceCoherence } from "./coherence";
import { CONVERSATIONAL_OPENERS } from "./data/lexicon";
import { isVeryCommonWord, surprisal } from "./frequency";
import { countSyllables, type ReadabilityScores, readabilityFromCounts } from "./readability";
import { type SentenceRhythm, sentenceRhythm } from "./rhythm";
import { type SignatureDensities, signatureDensities } from "./signature";
import { formality, isContraction, passiveVoiceRatio } from "./style";
import type { TokenizedText } from "./tokenize";
import {
  keyTermSignificance,
  movingAverageTypeTokenRatio,
  mtld,
  rareWordRatio,
  typeTokenRatio,
} from "./vocabulary";

const STOP_WORDS: ReadonlySet<string> = new Set(stopWordList);
const FIRST_PERSON: ReadonlySet<string> = new Set([
  "i",
  "me",
  "my",
  "mine",
  "myself",
  "i'm",
  "i've",
  "i'd",
  "i'll",
]);
/** Tokens longer than this (URLs, hashes) count as this long in readability formulas. */
const LONGEST_COUNTED_WORD = 30;

/** Every number the local analyzer derives from a tokenized text, before any scoring. */
export interface TextMeasurements {
  wordCount: number;
  sentenceCount: number;
  characterCount: number;
  readability: ReadabilityScores;
  sentenceCoherence: number | undefined;
  burstiness: number;
  /** exp(mean surprisal): unigram perplexity under the English frequency model. */
  perplexity: number;
  meanSurprisal: number;
  surprisalDeviation: number;
  typeTokenRatio: number;
  movingAverageTypeTokenRatio: number;
  mtld: number;
  rareWordRatio: number;
  keyTermSignificance: number;
  /** Share of word bigrams that already occurred earlier in the text, 0–1. */
  repetitionRate: number;
  /** Punctuation marks per word. */
  punctuationDensity: number;
  stopWordRatio: number;
  commaRate: number;
  quoteRate: number;
  dashAndParenthesisRate: number;
  questionAndExclamationRate: number;
  contractionRate: number;
  numberRate: number;
  /** Capitalized words not opening a sentence, per word (names, places, titles). */
  capitalizedRate: number;
  conversationalOpenerRate: number;
  longWordRate: number;
  meanWordLength: number;
  passiveVoiceRatio: number;
  formality: number;
  signature: SignatureDensities;
  /** Different punctuation marks / √(punctuation marks). */
  punctuationVariety: number;
  firstPersonRate: number;
  /** Share of words among the ~250 most frequent English words. */
  veryCommonWordRate: number;
  rhythm: SentenceRhythm;
}

function startsWithDigit(word: string): boolean {
  const code = word.charCodeAt(0);
  return code >= 48 && code <= 57;
}

function contentForm(word: string): string | undefined {
  if (STOP_WORDS.has(word) || startsWithDigit(word)) return undefined;
  return word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
}

function repeatedBigramShare(words: readonly string[]): number {
  if (words.length < 2) return 0;
  const idByWord = new Map<string, number>();
  const ids = words.map((word) => {
    let id = idByWord.get(word);
    if (id === undefined) {
      id = idByWord.size;
      idByWord.set(word, id);
    }
    return id;
  });
  const seen = new Set<number>();
  let repeated = 0;
  for (let index = 1; index < ids.length; index += 1) {
    const bigram = (ids[index - 1] as number) * 1_048_576 + (ids[index] as number);
    if (seen.has(bigram)) repeated += 1;
    else seen.add(bigram);
  }
  return repeated / (words.length - 1);
}

/** Measures a tokenized text: readability, vocabulary, coherence, statistics, style, AI signature. */
export function measureText(text: TokenizedText): TextMeasurements {
  const { words, sentences, punctuation } = text;
  const wordCount = words.length;
  const perWord = (count: number) => (wordCount === 0 ? 0 : count / wordCount);

  let syllables = 0;
  let polysyllables = 0;
  let characters = 0;
  let stopWords = 0;
  let contractions = 0;
  let numbers = 0;
  let capitalizedInside = 0;
  let openers = 0;
  let longWords = 0;
  let firstPerson = 0;
  let veryCommon = 0;
  const surprisals: number[] = [];
  const surprisalByIndex: (number | undefined)[] = [];
  const contentWords: (string | undefined)[] = [];
  for (let index = 0; index < wordCount; index += 1) {
    const word = words[index] as string;
    const isNumber = startsWithDigit(word);
    const wordSyllables = isNumber ? 1 : countSyllables(word);
    syllables += wordSyllables;
    if (wordSyllables >= 3) polysyllables += 1;
    characters += Math.min(word.length, LONGEST_COUNTED_WORD);
    if (word.length >= 7) longWords += 1;
    if (STOP_WORDS.has(word)) stopWords += 1;
    if (isContraction(word)) contractions += 1;
    if (FIRST_PERSON.has(word)) firstPerson += 1;
    if (isVeryCommonWord(word)) veryCommon += 1;
    if (isNumber) numbers += 1;
    else surprisals.push(surprisal(word));
    surprisalByIndex.push(isNumber ? undefined : surprisals[surprisals.length - 1]);
    if (text.sentenceInitial[index]) {
      if (CONVERSATIONAL_OPENERS.has(word)) openers += 1;
    } else if (text.capitalized[index]) {
      capitalizedInside += 1;
    }
    contentWords.push(contentForm(word));
  }
  const surprisalStats = meanAndDeviation(surprisals);
  const presentContentWords = contentWords.filter((word): word is string => word !== undefined);

  return {
    wordCount,
    sentenceCount: sentences.length,
    characterCount: text.characterCount,
    readability: readabilityFromCounts({
      words: wordCount,
      sentences: sentences.length,
      syllables,
      polysyllables,
      characters,
    }),
    sentenceCoherence: sentenceCoherence(sentences, (index) => contentWords[index]),
    burstiness: burstiness(sentences.map(({ start, end }) => end - start)),
    perplexity: Math.exp(surprisalStats.mean),
    meanSurprisal: surprisalStats.mean,
    surprisalDeviation: surprisalStats.deviation,
    typeTokenRatio: typeTokenRatio(words),
    movingAverageTypeTokenRatio: movingAverageTypeTokenRatio(words),
    mtld: mtld(words),
    rareWordRatio: rareWordRatio(words),
    keyTermSignificance: keyTermSignificance(presentContentWords),
    repetitionRate: repeatedBigramShare(words),
    punctuationDensity: perWord(punctuation.total),
    stopWordRatio: perWord(stopWords),
    commaRate: perWord(punctuation.commas),
    quoteRate: perWord(punctuation.quotes),
    dashAndParenthesisRate: perWord(
      punctuation.dashes + punctuation.parentheses + punctuation.semicolonsAndColons,
    ),
    questionAndExclamationRate: perWord(punctuation.questionMarks + punctuation.exclamationMarks),
    contractionRate: perWord(contractions),
    numberRate: perWord(numbers),
    capitalizedRate: perWord(capitalizedInside),
    conversationalOpenerRate: sentences.length === 0 ? 0 : openers / sentences.length,
    longWordRate: perWord(longWords),
    meanWordLength: perWord(characters),
    passiveVoiceRatio: passiveVoiceRatio(text),
    formality: formality(text),
    signature: signatureDensities(words),
    punctuationVariety: punctuation.total === 0 ? 0 : punctuation.kinds / Math.sqrt(punctuation.total),
    firstPersonRate: perWord(firstPerson),
    veryCommonWordRate: perWord(veryCommon),
    rhythm: sentenceRhythm(text, (index) => surprisalByIndex[index]),
  };
}
