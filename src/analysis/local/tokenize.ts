import { lazy } from "../../lib/lazy";
import { isCodeSymbol } from "./confidence";
import { skeletonOfWord, wordShape } from "./ngrams";
import { WordBit } from "./word-facts";
import { asciiLower, EMPTY_HASH, extendHash } from "./word-hash";
import { type IndexedWords, WordIndexer } from "./word-index";

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
  /**
   * Per sentence of `sentences`, four numbers: its first and past-the-last character in the text
   * read (UTF-16 offsets, from its first token to the end of its last, closing quotes included) and
   * its first and past-the-last skeleton token.
   */
  readonly sentenceBounds: number[];
  /** Stop words, placeholders for other words and punctuation marks, in reading order. */
  readonly skeleton: string[];
  readonly punctuation: PunctuationCounts;
  /** Letters in words, and how many of them are basic Latin a–z. */
  readonly letterCount: number;
  readonly asciiLetterCount: number;
  readonly characterCount: number;
}

/** Built on first use: a Unicode property class takes a fraction of a millisecond to compile. */
const LETTER = lazy(() => /\p{L}/u);
const LETTER_OR_DIGIT = lazy(() => /[\p{L}\p{N}]/u);
const DIGITS = /^\d+$/;
const TOKEN = lazy(
  () =>
    /\p{N}+(?:[.,:]\p{N}+)*|[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*|[.!?]+|\n|[^\s\p{L}\p{M}\p{N}]/gu,
);
/** Kinds of basic Latin characters, for the scanner's fast path (`OTHER` is a mark of its own). */
const { OTHER, SPACE, NEWLINE, DIGIT, UPPER, LOWER, SENTENCE_END } = {
  OTHER: 0,
  SPACE: 1,
  NEWLINE: 2,
  DIGIT: 3,
  UPPER: 4,
  LOWER: 5,
  SENTENCE_END: 6,
} as const;
const APOSTROPHE = 39;
const NOT_ASCII = 128;
const KIND = new Uint8Array(NOT_ASCII);
for (const code of [9, 11, 12, 13, 32]) KIND[code] = SPACE;
KIND[10] = NEWLINE;
for (let code = 48; code <= 57; code += 1) KIND[code] = DIGIT;
for (let code = 65; code <= 90; code += 1) KIND[code] = UPPER;
for (let code = 97; code <= 122; code += 1) KIND[code] = LOWER;
for (const mark of ".!?") KIND[mark.charCodeAt(0)] = SENTENCE_END;
const isAlphanumeric = (kind: number) => kind === DIGIT || kind === UPPER || kind === LOWER;
/** The scanner's answer when only the regular expression can read the token at a position. */
const UNREAD = -1;

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
  return LETTER_OR_DIGIT().test(char);
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
    } else if (LETTER().test(word[index] as string)) {
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
  /** The open sentence's first character, the last token's end, its first skeleton token; the last sentence's end. */
  readonly openSentence: readonly [number, number, number, number];
  readonly punctuation: PunctuationCounts;
  readonly letterCount: number;
  readonly asciiLetterCount: number;
  /** How many different punctuation marks had occurred. */
  readonly markKinds: number;
  readonly codeSymbols: number;
}

const EMPTY: TokenizerMark = {
  words: 0,
  distinctWords: 0,
  sentences: 0,
  skeleton: 0,
  sentenceStart: 0,
  openSentence: [-1, -1, 0, -1],
  punctuation: emptyPunctuation(),
  letterCount: 0,
  asciiLetterCount: 0,
  markKinds: 0,
  codeSymbols: 0,
};

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
  readonly sentenceBounds: number[] = [];
  readonly skeleton: string[] = [];
  /**
   * Added to character offsets: where the string being read starts in the whole text (an
   * incremental analysis reads the text in pieces).
   */
  characterBase = 0;
  /** The open sentence's first character (−1: none yet) and its first skeleton token; the last token's end. */
  #sentenceFirst = -1;
  #sentenceSkeleton = 0;
  #lastEnd = -1;
  #punctuation = emptyPunctuation();
  #letters = { letterCount: 0, asciiLetterCount: 0 };
  #sentenceStart = 0;
  #codeSymbols = 0;
  #markKinds = new Set<string>();
  /** The same marks in order of first occurrence, so a rollback can forget the newer ones. */
  readonly #markKindOrder: string[] = [];

  #closeSentence(): void {
    if (this.words.length > this.#sentenceStart) {
      this.sentences.push({ start: this.#sentenceStart, end: this.words.length });
      this.sentenceBounds.push(
        this.#sentenceFirst,
        this.#lastEnd,
        this.#sentenceSkeleton,
        this.skeleton.length,
      );
    }
    this.#sentenceStart = this.words.length;
    this.#sentenceFirst = -1;
  }

  /**
   * A token at `[start, end)` of the string read: it opens the sentence if none is open, except a
   * closing quote or bracket right after a closed sentence, which ends that sentence instead.
   */
  #token(start: number, end: number, code: number): void {
    const at = start + this.characterBase;
    if (this.#sentenceFirst < 0) {
      const bounds = this.sentenceBounds;
      const closesPrevious =
        bounds.length > 0 &&
        bounds[bounds.length - 3] === at &&
        (code === 34 || code === 39 || code === 41 || code === 93 || code === 0x201d || code === 0x2019);
      if (closesPrevious && this.words.length === this.#sentenceStart) {
        bounds[bounds.length - 3] = end + this.characterBase;
        this.#lastEnd = end + this.characterBase;
        return;
      }
      this.#sentenceFirst = at;
      this.#sentenceSkeleton = this.skeleton.length;
    }
    this.#lastEnd = end + this.characterBase;
  }

  /**
   * Reads the tokens of `text` that start in `[from, to)`: basic Latin words, numbers and marks
   * by character codes, anything else with `TOKEN` (the same tokens either way).
   */
  read(text: string, from: number, to = text.length): void {
    let position = from;
    while (position < text.length) {
      const code = text.charCodeAt(position);
      const kind = code < NOT_ASCII ? (KIND[code] as number) : UNREAD;
      if (kind === SPACE) {
        position += 1;
        continue;
      }
      if (position >= to) return;
      let end = UNREAD;
      if (kind === NEWLINE) {
        this.#closeSentence();
        end = position + 1;
      } else if (kind === SENTENCE_END) {
        end = position + 1;
        while (end < text.length && KIND[text.charCodeAt(end)] === SENTENCE_END) end += 1;
        this.#token(position, end, code);
        this.#sentenceEnd(text, text.slice(position, end), end);
      } else if (kind === OTHER) {
        end = position + 1;
        this.#token(position, end, code);
        this.#mark(text[position] as string);
      } else if (kind !== UNREAD) {
        end = this.#readBasicWord(text, position, kind);
      }
      if (end === UNREAD) {
        end = this.#readWithPattern(text, position, to);
        if (end === UNREAD) return;
      }
      position = end;
    }
  }

  /**
   * Reads the basic Latin word or number starting at `start`; answers where it ends, or `UNREAD`
   * when a character beyond basic Latin may belong to it.
   */
  #readBasicWord(text: string, start: number, firstKind: number): number {
    const isNumber = firstKind === DIGIT;
    let hash = EMPTY_HASH;
    let letters = 0;
    let end = start;
    for (;;) {
      let code = text.charCodeAt(end);
      while (code < NOT_ASCII && (isNumber ? KIND[code] === DIGIT : isAlphanumeric(KIND[code] as number))) {
        if (code >= 65) letters += 1;
        hash = extendHash(hash, asciiLower(code));
        end += 1;
        code = text.charCodeAt(end);
      }
      if (code >= NOT_ASCII) return UNREAD;
      const joins = isNumber ? code === 46 || code === 44 || code === 58 : code === APOSTROPHE;
      if (!joins || end + 1 >= text.length) break;
      const after = text.charCodeAt(end + 1);
      if (after >= NOT_ASCII) return UNREAD;
      if (isNumber ? KIND[after] !== DIGIT : !isAlphanumeric(KIND[after] as number)) break;
      hash = extendHash(hash, code);
      end += 1;
    }
    const { words, indexed } = this;
    this.#token(start, end, text.charCodeAt(start));
    this.sentenceInitial.push(words.length === this.#sentenceStart);
    const id = indexed.addSpan(text, start, end, hash);
    const word = indexed.words[id] as string;
    words.push(word);
    const capitalized = firstKind === UPPER;
    this.skeleton.push(
      ((indexed.bits[id] as number) & WordBit.stopWord) !== 0
        ? word
        : isNumber
          ? "#"
          : wordShape(capitalized, word),
    );
    this.capitalized.push(capitalized);
    this.#letters.letterCount += letters;
    this.#letters.asciiLetterCount += letters;
    return end;
  }

  /** Reads the token `TOKEN` finds at or after `from`; answers where it ends, or `UNREAD` past `to`. */
  #readWithPattern(text: string, from: number, to: number): number {
    const pattern = TOKEN();
    pattern.lastIndex = from;
    const match = pattern.exec(text);
    if (match === null) return text.length;
    if (match.index >= to) return UNREAD;
    const token = match[0];
    const first = token[0] ?? "";
    const end = match.index + token.length;
    if (first !== "\n") this.#token(match.index, end, token.codePointAt(0) as number);
    if (first === "\n") {
      this.#closeSentence();
    } else if (first === "." || first === "!" || first === "?") {
      this.#sentenceEnd(text, token, end);
    } else if (isLetterOrDigit(first)) {
      const { words, indexed } = this;
      const lower = token.toLowerCase();
      this.sentenceInitial.push(words.length === this.#sentenceStart);
      const id = indexed.add(lower);
      words.push(lower);
      this.skeleton.push(
        skeletonOfWord(token, lower, ((indexed.bits[id] as number) & WordBit.stopWord) !== 0),
      );
      this.capitalized.push(lower !== token && first !== lower[0]);
      countLetters(token, this.#letters);
    } else {
      this.#mark(token);
    }
    return end;
  }

  #addMarkKind(mark: string): void {
    if (this.#markKinds.has(mark)) return;
    this.#markKinds.add(mark);
    this.#markKindOrder.push(mark);
  }

  #mark(token: string): void {
    if (token.length === 1 && isCodeSymbol(token.charCodeAt(0))) this.#codeSymbols += 1;
    this.#addMarkKind(token);
    this.skeleton.push(token);
    countMark(this.#punctuation, token);
  }

  /** A run of `.`, `!` and `?` ending at `end`: punctuation, and the end of a sentence unless … */
  #sentenceEnd(text: string, token: string, end: number): void {
    const { words } = this;
    const punctuation = this.#punctuation;
    this.skeleton.push(token);
    for (const mark of token) {
      this.#addMarkKind(mark);
      punctuation.total += 1;
      if (mark === "?") punctuation.questionMarks += 1;
      if (mark === "!") punctuation.exclamationMarks += 1;
    }
    const next = text[end];
    const previous = words[words.length - 1] ?? "";
    const isAbbreviation =
      token === "." && (ABBREVIATIONS.has(previous) || (previous.length === 1 && LETTER().test(previous)));
    const isListNumber = token === "." && words.length === this.#sentenceStart + 1 && DIGITS.test(previous);
    if (!isAbbreviation && !isListNumber && !isLetterOrDigit(next)) this.#closeSentence();
  }

  /** Closes the last sentence and answers the tokenized text (`characterCount` long) read so far. */
  finish(characterCount: number): TokenizedText {
    this.#closeSentence();
    return this.tokens(characterCount);
  }

  /** The tokens read so far, the last sentence left open (not in `sentences`). */
  tokens(characterCount: number): TokenizedText {
    this.#punctuation.kinds = this.#markKinds.size;
    return {
      words: this.words,
      indexed: this.indexed,
      capitalized: this.capitalized,
      sentenceInitial: this.sentenceInitial,
      sentences: this.sentences,
      sentenceBounds: this.sentenceBounds,
      skeleton: this.skeleton,
      punctuation: this.#punctuation,
      ...this.#letters,
      characterCount,
    };
  }

  /**
   * How many of the characters read are typical of code (see `codeSymbolCount`): each is a mark
   * of its own, so the tokenizer counts them on the way.
   */
  get codeSymbols(): number {
    return this.#codeSymbols;
  }

  /** Forgets everything read, to read another text. */
  clear(): void {
    this.rollback(EMPTY);
    this.characterBase = 0;
  }

  mark(): TokenizerMark {
    return {
      words: this.words.length,
      distinctWords: this.indexed.words.length,
      sentences: this.sentences.length,
      skeleton: this.skeleton.length,
      sentenceStart: this.#sentenceStart,
      openSentence: [
        this.#sentenceFirst,
        this.#lastEnd,
        this.#sentenceSkeleton,
        this.sentenceBounds.length === 0
          ? -1
          : (this.sentenceBounds[this.sentenceBounds.length - 3] as number),
      ],
      punctuation: { ...this.#punctuation },
      ...this.#letters,
      markKinds: this.#markKindOrder.length,
      codeSymbols: this.#codeSymbols,
    };
  }

  /** Forgets everything read (and finished) since `mark`. */
  rollback(mark: TokenizerMark): void {
    this.words.length = mark.words;
    this.capitalized.length = mark.words;
    this.sentenceInitial.length = mark.words;
    this.indexed.truncate(mark.words, mark.distinctWords);
    this.sentences.length = mark.sentences;
    this.sentenceBounds.length = 4 * mark.sentences;
    [this.#sentenceFirst, this.#lastEnd, this.#sentenceSkeleton] = mark.openSentence;
    if (this.sentenceBounds.length > 0)
      this.sentenceBounds[this.sentenceBounds.length - 3] = mark.openSentence[3];
    this.skeleton.length = mark.skeleton;
    this.#sentenceStart = mark.sentenceStart;
    this.#punctuation = { ...mark.punctuation };
    this.#letters = { letterCount: mark.letterCount, asciiLetterCount: mark.asciiLetterCount };
    for (const kind of this.#markKindOrder.splice(mark.markKinds)) this.#markKinds.delete(kind);
    this.#codeSymbols = mark.codeSymbols;
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
