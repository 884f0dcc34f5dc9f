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

/** Where a `Tokenizer` stood, to go back to (see `Tokenizer.mark`). */
export interface TokenizerMark {
  readonly words: number;
  readonly distinctWords: number;
  readonly sentences: number;
  readonly skeleton: number;
  readonly sentenceStart: number;
  readonly punctuation: PunctuationCounts;
  readonly letterCount: number;
  readonly asciiLetterCount: number;
  readonly markKinds: ReadonlySet<string>;
}

/**
 * The single pass behind `tokenize`, resumable: a text that grows can be read a range at a time
 * (a range must end after a whitespace character, as no token spans one), and the unfinished end
 * read provisionally, then forgotten with `mark`/`rollback`.
 */
export class Tokenizer {
  readonly words: string[] = [];
  readonly indexed = new WordIndexer();
  readonly capitalized: boolean[] = [];
  readonly sentenceInitial: boolean[] = [];
  readonly sentences: SentenceSpan[] = [];
  readonly skeleton: string[] = [];
  #punctuation = emptyPunctuation();
  #letters = { letterCount: 0, asciiLetterCount: 0 };
  #sentenceStart = 0;
  #markKinds = new Set<string>();

  #closeSentence(): void {
    if (this.words.length > this.#sentenceStart)
      this.sentences.push({ start: this.#sentenceStart, end: this.words.length });
    this.#sentenceStart = this.words.length;
  }

  /** Reads the tokens of `text` that start in `[from, to)`. */
  read(text: string, from: number, to = text.length): void {
    const { words, indexed, capitalized, sentenceInitial, skeleton } = this;
    const punctuation = this.#punctuation;
    const markKinds = this.#markKinds;
    TOKEN.lastIndex = from;
    for (let match = TOKEN.exec(text); match !== null && match.index < to; match = TOKEN.exec(text)) {
      const token = match[0];
      const first = token[0] ?? "";
      if (first === "\n") {
        this.#closeSentence();
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
        const isListNumber =
          token === "." && words.length === this.#sentenceStart + 1 && DIGITS.test(previous);
        if (!isAbbreviation && !isListNumber && !isLetterOrDigit(next)) this.#closeSentence();
      } else if (isLetterOrDigit(first)) {
        const lower = token.toLowerCase();
        sentenceInitial.push(words.length === this.#sentenceStart);
        words.push(lower);
        skeleton.push(skeletonOfWord(token, lower, indexed.add(lower).isStopWord));
        capitalized.push(lower !== token && first !== lower[0]);
        countLetters(token, this.#letters);
      } else {
        markKinds.add(token);
        skeleton.push(token);
        countMark(punctuation, token);
      }
    }
  }

  /** Closes the last sentence and answers the tokenized text (`characterCount` long) read so far. */
  finish(characterCount: number): TokenizedText {
    this.#closeSentence();
    this.#punctuation.kinds = this.#markKinds.size;
    return {
      words: this.words,
      indexed: this.indexed,
      capitalized: this.capitalized,
      sentenceInitial: this.sentenceInitial,
      sentences: this.sentences,
      skeleton: this.skeleton,
      punctuation: this.#punctuation,
      ...this.#letters,
      characterCount,
    };
  }

  mark(): TokenizerMark {
    return {
      words: this.words.length,
      distinctWords: this.indexed.facts.length,
      sentences: this.sentences.length,
      skeleton: this.skeleton.length,
      sentenceStart: this.#sentenceStart,
      punctuation: { ...this.#punctuation },
      ...this.#letters,
      markKinds: new Set(this.#markKinds),
    };
  }

  /** Forgets everything read (and finished) since `mark`. */
  rollback(mark: TokenizerMark): void {
    this.words.length = mark.words;
    this.capitalized.length = mark.words;
    this.sentenceInitial.length = mark.words;
    this.indexed.truncate(mark.words, mark.distinctWords);
    this.sentences.length = mark.sentences;
    this.skeleton.length = mark.skeleton;
    this.#sentenceStart = mark.sentenceStart;
    this.#punctuation = { ...mark.punctuation };
    this.#letters = { letterCount: mark.letterCount, asciiLetterCount: mark.asciiLetterCount };
    this.#markKinds = new Set(mark.markKinds);
  }
}

/**
 * Splits a text into lowercased words and sentences in a single regular-expression pass.
 * Sentences end at `.`, `!`, `?` (not after abbreviations, initials, list numbers such as `1.`,
 * or inside numbers) and at line breaks, so list items and headings count as sentences of their own.
 */
export function tokenize(text: string): TokenizedText {
  const tokenizer = new Tokenizer();
  tokenizer.read(text, 0);
  return tokenizer.finish(text.length);
}
