import { skeletonOfWord } from "./ngrams";
import { type IndexedWords, WordIndexer } from "./word-facts";

/** A sentence as a half-open range `[start, end)` of word indexes. */
export interface SentenceSpan {
  readonly start: number;
  readonly end: number;
}

/** Counts of the punctuation marks the analyzer profiles. */
export interface PunctuationCounts {
  total: number;
  commas: number;
  semicolonsAndColons: number;
  dashes: number;
  quotes: number;
  parentheses: number;
  questionMarks: number;
  exclamationMarks: number;
  /** How many different marks occur. */
  kinds: number;
}

/** The result of one pass over a text. */
export interface TokenizedText {
  /** Word tokens, lowercased, in reading order. */
  readonly words: string[];
  /** The same words numbered, with each distinct word's facts. */
  readonly indexed: IndexedWords;
  /** Whether each word was written with an initial capital. */
  readonly capitalized: boolean[];
  /** Whether each word opens a sentence. */
  readonly sentenceInitial: boolean[];
  readonly sentences: SentenceSpan[];
  /** Stop words, placeholders for other words and punctuation marks, in reading order. */
  readonly skeleton: string[];
  readonly punctuation: PunctuationCounts;
  /** Letters in words, and how many of them are basic Latin a–z. */
  readonly letterCount: number;
  readonly asciiLetterCount: number;
  readonly characterCount: number;
}

const LETTER = /\p{L}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const DIGITS = /^\d+$/;
const TOKEN =
  /\p{N}+(?:[.,:]\p{N}+)*|[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*|[.!?]+|\n|[^\s\p{L}\p{M}\p{N}]/gu;
const ABBREVIATIONS = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "prof",
  "st",
  "jr",
  "sr",
  "vs",
  "etc",
  "inc",
  "ltd",
  "co",
  "corp",
  "gov",
  "gen",
  "col",
  "lt",
  "sgt",
  "rev",
  "no",
  "fig",
  "approx",
]);

function emptyPunctuation(): PunctuationCounts {
  return {
    total: 0,
    commas: 0,
    semicolonsAndColons: 0,
    dashes: 0,
    quotes: 0,
    parentheses: 0,
    questionMarks: 0,
    exclamationMarks: 0,
    kinds: 0,
  };
}

function countMark(counts: PunctuationCounts, mark: string): void {
  counts.total += 1;
  if (mark === ",") counts.commas += 1;
  else if (mark === ";" || mark === ":") counts.semicolonsAndColons += 1;
  else if (mark === "-" || mark === "–" || mark === "—") counts.dashes += 1;
  else if (mark === '"' || mark === "“" || mark === "”" || mark === "'" || mark === "‘" || mark === "’")
    counts.quotes += 1;
  else if (mark === "(" || mark === ")" || mark === "[" || mark === "]") counts.parentheses += 1;
}

function isLetterOrDigit(char: string | undefined): boolean {
  if (char === undefined) return false;
  const code = char.charCodeAt(0);
  if (code < 128) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
  return LETTER_OR_DIGIT.test(char);
}

/** Adds a word's letters to the text's counts: all letters, and basic Latin a–z among them. */
function countLetters(word: string, counts: { letterCount: number; asciiLetterCount: number }): void {
  for (let index = 0; index < word.length; index += 1) {
    const code = word.charCodeAt(index);
    if (code < 128) {
      if ((code | 32) >= 97 && (code | 32) <= 122) {
        counts.letterCount += 1;
        counts.asciiLetterCount += 1;
      }
    } else if (LETTER.test(word[index] as string)) {
      counts.letterCount += 1;
    }
  }
}

/**
 * Splits a text into lowercased words and sentences in a single regular-expression pass.
 * Sentences end at `.`, `!`, `?` (not after abbreviations, initials, list numbers such as `1.`,
 * or inside numbers) and at line breaks, so list items and headings count as sentences of their own.
 */
export function tokenize(text: string): TokenizedText {
  const words: string[] = [];
  const indexed = new WordIndexer();
  const capitalized: boolean[] = [];
  const sentenceInitial: boolean[] = [];
  const sentences: SentenceSpan[] = [];
  const skeleton: string[] = [];
  const punctuation = emptyPunctuation();
  const letters = { letterCount: 0, asciiLetterCount: 0 };
  let sentenceStart = 0;
  const markKinds = new Set<string>();

  const closeSentence = () => {
    if (words.length > sentenceStart) sentences.push({ start: sentenceStart, end: words.length });
    sentenceStart = words.length;
  };

  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(text); match !== null; match = TOKEN.exec(text)) {
    const token = match[0];
    const first = token[0] ?? "";
    if (first === "\n") {
      closeSentence();
    } else if (first === "." || first === "!" || first === "?") {
      skeleton.push(token);
      for (const mark of token) {
        markKinds.add(mark);
        punctuation.total += 1;
        if (mark === "?") punctuation.questionMarks += 1;
        if (mark === "!") punctuation.exclamationMarks += 1;
      }
      const next = text[match.index + token.length];
      const previous = words[words.length - 1] ?? "";
      const isAbbreviation =
        token === "." && (ABBREVIATIONS.has(previous) || (previous.length === 1 && LETTER.test(previous)));
      const isListNumber = token === "." && words.length === sentenceStart + 1 && DIGITS.test(previous);
      if (!isAbbreviation && !isListNumber && !isLetterOrDigit(next)) closeSentence();
    } else if (isLetterOrDigit(first)) {
      const lower = token.toLowerCase();
      sentenceInitial.push(words.length === sentenceStart);
      words.push(lower);
      skeleton.push(skeletonOfWord(token, lower, indexed.add(lower).isStopWord));
      capitalized.push(lower !== token && first !== lower[0]);
      countLetters(token, letters);
    } else {
      markKinds.add(token);
      skeleton.push(token);
      countMark(punctuation, token);
    }
  }
  closeSentence();
  punctuation.kinds = markKinds.size;
  return {
    words,
    indexed,
    capitalized,
    sentenceInitial,
    sentences,
    skeleton,
    punctuation,
    ...letters,
    characterCount: text.length,
  };
}
