import { burstiness, meanAndDeviation, sentenceCoherence } from "./coherence";
import { type ReadabilityScores, readabilityFromCounts } from "./readability";
import { type SentenceRhythm, sentenceLengths, sentenceRhythm } from "./rhythm";
import { type SignatureDensities, signatureDensities } from "./signature";
import { formality, passiveVoiceRatio } from "./style";
import type { TokenizedText } from "./tokenize";
import {
  keyTermSignificance,
  movingAverageTypeTokenRatio,
  mtld,
  rareWordRatio,
  repeatedBigramShare,
  typeTokenRatio,
} from "./vocabulary";
import { contentWordIds, type WordFacts } from "./word-facts";

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

/** Measures a tokenized text: readability, vocabulary, coherence, statistics, style, AI signature. */
export function measureText(text: TokenizedText): TextMeasurements {
  const { words, sentences, punctuation } = text;
  const wordCount = words.length;
  const perWord = (count: number) => (wordCount === 0 ? 0 : count / wordCount);

  const { indexed } = text;
  const { ids, facts } = indexed;
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
  let informalMarkers = punctuation.exclamationMarks;
  const surprisals: number[] = [];
  const surprisalByIndex = new Float64Array(wordCount);
  for (let index = 0; index < wordCount; index += 1) {
    const word = words[index] as string;
    const wordFacts = facts[ids[index] as number] as WordFacts;
    syllables += wordFacts.syllables;
    if (wordFacts.syllables >= 3) polysyllables += 1;
    characters += Math.min(word.length, LONGEST_COUNTED_WORD);
    if (word.length >= 7) longWords += 1;
    if (wordFacts.isStopWord) stopWords += 1;
    if (wordFacts.isContraction) contractions += 1;
    if (wordFacts.isFirstPerson) firstPerson += 1;
    if (wordFacts.isVeryCommon) veryCommon += 1;
    if (wordFacts.isInformalMarker) informalMarkers += 1;
    if (wordFacts.isNumber) {
      numbers += 1;
      surprisalByIndex[index] = Number.NaN;
    } else {
      surprisals.push(wordFacts.surprisal);
      surprisalByIndex[index] = wordFacts.surprisal;
    }
    if (text.sentenceInitial[index]) {
      if (wordFacts.isConversationalOpener) openers += 1;
    } else if (text.capitalized[index]) {
      capitalizedInside += 1;
    }
  }
  const surprisalStats = meanAndDeviation(surprisals);
  const contentIds = contentWordIds(indexed);

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
    sentenceCoherence: sentenceCoherence(sentences, contentIds.ids, contentIds.distinct),
    burstiness: burstiness(sentenceLengths(sentences)),
    perplexity: Math.exp(surprisalStats.mean),
    meanSurprisal: surprisalStats.mean,
    surprisalDeviation: surprisalStats.deviation,
    typeTokenRatio: typeTokenRatio(indexed),
    movingAverageTypeTokenRatio: movingAverageTypeTokenRatio(indexed),
    mtld: mtld(indexed),
    rareWordRatio: rareWordRatio(indexed),
    keyTermSignificance: keyTermSignificance(contentIds.ids, contentIds.distinct),
    repetitionRate: repeatedBigramShare(indexed),
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
    formality: formality(informalMarkers, wordCount),
    signature: signatureDensities(words, indexed),
    punctuationVariety: punctuation.total === 0 ? 0 : punctuation.kinds / Math.sqrt(punctuation.total),
    firstPersonRate: perWord(firstPerson),
    veryCommonWordRate: perWord(veryCommon),
    rhythm: sentenceRhythm(text, surprisalByIndex),
  };
}
