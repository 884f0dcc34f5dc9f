import { lazy } from "../../lib/lazy";
import { BE_FORMS, CONVERSATIONAL_OPENERS, INFORMAL_WORDS, STOCK_WORDS } from "./data/lexicon";
import { STOPWORDS_EN } from "./data/word-lists";
import { isCommonWord, isVeryCommonWord, surprisal } from "./frequency";
import { frontDecode } from "./front-coding";
import { type LexicalEntry, lexicalEntry } from "./part-of-speech";
import { countSyllables } from "./readability";
import { moodOf } from "./sentiment";
import { opensStockNgram, stockPhrasesEndingWith } from "./signature";
import { isContraction, isParticiple } from "./style";
import { hashOfString, matchesSpan } from "./word-hash";

/** Built on the first word read, like the rest of the analyzer's tables, not at start-up. */
const STOP_WORDS = lazy((): ReadonlySet<string> => new Set(frontDecode(STOPWORDS_EN)));
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
const STARTS_WITH_LETTER = lazy(() => /^\p{L}/u);
const CACHE_LIMIT = 20_000;
/** A power of two over three times `CACHE_LIMIT`, so probes stay short. */
const CACHE_SLOTS = 65_536;

/** Everything the measurements need to know about one lowercased word, derived from the word alone. */
export interface WordFacts {
  readonly isNumber: boolean;
  /** Syllables as the readability formulas count them (1 for a number). */
  readonly syllables: number;
  readonly isStopWord: boolean;
  readonly isContraction: boolean;
  readonly isFirstPerson: boolean;
  readonly isVeryCommon: boolean;
  readonly isConversationalOpener: boolean;
  /** A chat filler, first/second-person word or contraction (see `informalMarkerCount`). */
  readonly isInformalMarker: boolean;
  /** Starts with a letter and is outside the 10,000 most frequent English words. */
  readonly isRare: boolean;
  readonly startsWithLetter: boolean;
  readonly surprisal: number;
  readonly isBeForm: boolean;
  /** A past participle (see `passiveVoiceRatio`). */
  readonly isParticiple: boolean;
  /** `not` or an adverb in -ly, which may stand between a form of "to be" and its participle. */
  readonly mayInterruptPassive: boolean;
  readonly isStockWord: boolean;
  /** Stock phrases (see `signatureDensities`) that end with this word. */
  readonly stockPhrasesEnding: readonly (readonly string[])[] | undefined;
  readonly opensStockNgram: boolean;
  /** The word as a content word (plural `s` dropped), or undefined for stop words and numbers. */
  readonly contentForm: string | undefined;
  /** What the part-of-speech tagger knows of the word. */
  readonly lexical: LexicalEntry;
  /** Whether the word flips the valence of the next words (`not`, `never`, `don't`). */
  readonly negates: boolean;
  /** AFINN-165 valence, −5…+5, 0 for no opinion. */
  readonly valence: number;
  /** The yes/no facts above packed into one integer (see `WordBit`), with the counted length. */
  readonly bits: number;
  /** `hashOfString(contentForm)`, 0 without one. */
  readonly formHash: number;
}

/**
 * The yes/no facts of a word as bits of one integer, for tallies that read them for every word
 * of a text (`packedFacts`); bits 24 and up hold the word's length, at most `LONGEST_COUNTED_WORD`.
 */
export const WordBit = {
  stopWord: 1 << 0,
  contraction: 1 << 1,
  firstPerson: 1 << 2,
  veryCommon: 1 << 3,
  informalMarker: 1 << 4,
  number: 1 << 5,
  startsWithLetter: 1 << 6,
  rare: 1 << 7,
  conversationalOpener: 1 << 8,
  beForm: 1 << 9,
  participle: 1 << 10,
  mayInterruptPassive: 1 << 11,
  stockWord: 1 << 12,
  opensStockNgram: 1 << 13,
  endsStockPhrase: 1 << 14,
  negates: 1 << 15,
  /** Seven letters or more. */
  long: 1 << 16,
  /** Three syllables or more. */
  polysyllabic: 1 << 17,
} as const;
/** Tokens longer than this (URLs, hashes) count as this long in readability formulas. */
const LONGEST_COUNTED_WORD = 30;
const LENGTH_SHIFT = 24;

/** The characters a word counts for in readability formulas, from its packed facts. */
export const countedLength = (bits: number) => bits >>> LENGTH_SHIFT;

type UnpackedFacts = Omit<WordFacts, "bits" | "formHash">;

function packFacts(word: string, facts: UnpackedFacts): number {
  const flags: [boolean, number][] = [
    [facts.isStopWord, WordBit.stopWord],
    [facts.isContraction, WordBit.contraction],
    [facts.isFirstPerson, WordBit.firstPerson],
    [facts.isVeryCommon, WordBit.veryCommon],
    [facts.isInformalMarker, WordBit.informalMarker],
    [facts.isNumber, WordBit.number],
    [facts.startsWithLetter, WordBit.startsWithLetter],
    [facts.isRare, WordBit.rare],
    [facts.isConversationalOpener, WordBit.conversationalOpener],
    [facts.isBeForm, WordBit.beForm],
    [facts.isParticiple, WordBit.participle],
    [facts.mayInterruptPassive, WordBit.mayInterruptPassive],
    [facts.isStockWord, WordBit.stockWord],
    [facts.opensStockNgram, WordBit.opensStockNgram],
    [facts.stockPhrasesEnding !== undefined, WordBit.endsStockPhrase],
    [facts.negates, WordBit.negates],
    [word.length >= 7, WordBit.long],
    [facts.syllables >= 3, WordBit.polysyllabic],
  ];
  let bits = Math.min(word.length, LONGEST_COUNTED_WORD) << LENGTH_SHIFT;
  for (const [holds, bit] of flags) if (holds) bits |= bit;
  return bits;
}

function startsWithDigit(word: string): boolean {
  const code = word.charCodeAt(0);
  return code >= 48 && code <= 57;
}

function contentForm(word: string, isStopWord: boolean): string | undefined {
  if (isStopWord || startsWithDigit(word)) return undefined;
  return word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
}

function deriveFacts(word: string): WordFacts {
  const facts = unpackedFacts(word);
  const { contentForm } = facts;
  return {
    ...facts,
    bits: packFacts(word, facts),
    formHash: contentForm === undefined ? 0 : hashOfString(contentForm),
  };
}

function unpackedFacts(word: string): UnpackedFacts {
  const isNumber = startsWithDigit(word);
  const isStopWord = STOP_WORDS().has(word);
  const contraction = isContraction(word);
  const startsWithLetter = STARTS_WITH_LETTER().test(word);
  const mood = moodOf(word);
  return {
    isNumber,
    syllables: isNumber ? 1 : countSyllables(word),
    isStopWord,
    isContraction: contraction,
    isFirstPerson: FIRST_PERSON.has(word),
    isVeryCommon: isVeryCommonWord(word),
    isConversationalOpener: CONVERSATIONAL_OPENERS.has(word),
    isInformalMarker: contraction || INFORMAL_WORDS.has(word),
    isRare: startsWithLetter && !isCommonWord(word),
    startsWithLetter,
    surprisal: surprisal(word),
    isBeForm: BE_FORMS.has(word),
    isParticiple: isParticiple(word),
    mayInterruptPassive: word === "not" || word.endsWith("ly"),
    isStockWord: STOCK_WORDS.has(word),
    stockPhrasesEnding: stockPhrasesEndingWith(word),
    opensStockNgram: opensStockNgram(word),
    contentForm: contentForm(word, isStopWord),
    lexical: lexicalEntry(word),
    negates: mood.negates,
    valence: mood.valence,
  };
}

/**
 * The facts of every word met so far in this isolate (English is Zipfian: most words of a text are
 * already known), found by a hash of the word's characters so a word read from a text needs no
 * string of its own. Cleared when it reaches `CACHE_LIMIT` words.
 */
class FactsCache {
  /** Entry numbers (below `CACHE_LIMIT`, so 16 bits do) by hash; −1 = empty. Half the size stays cached more. */
  #slots = new Int16Array(CACHE_SLOTS).fill(-1);
  #words: string[] = [];
  #facts: WordFacts[] = [];
  /**
   * The numbers a text copies from each entry's facts, side by side in small arrays (faster to reach
   * than the facts objects spread over the heap): `bits`, `syllables`, `valence`, `formHash` in
   * `numbers` (four per entry), and the surprisal, part-of-speech entry and content form.
   */
  readonly numbers = new Int32Array(4 * CACHE_LIMIT);
  readonly surprisal = new Float64Array(CACHE_LIMIT);
  readonly lexical: LexicalEntry[] = [];
  readonly contentForm: (string | undefined)[] = [];

  #insert(word: string, hash: number): number {
    if (this.#words.length >= CACHE_LIMIT) {
      this.#slots.fill(-1);
      this.#words.length = 0;
      this.#facts.length = 0;
      this.lexical.length = 0;
      this.contentForm.length = 0;
    }
    const mask = this.#slots.length - 1;
    let slot = hash & mask;
    while (this.#slots[slot] !== -1) slot = (slot + 1) & mask;
    const entry = this.#words.length;
    const facts = deriveFacts(word);
    this.#slots[slot] = entry;
    this.#words.push(word);
    this.#facts.push(facts);
    this.numbers.set([facts.bits, facts.syllables, facts.valence, facts.formHash], 4 * entry);
    this.surprisal[entry] = facts.surprisal;
    this.lexical.push(facts.lexical);
    this.contentForm.push(facts.contentForm);
    return entry;
  }

  /** The entry of the lowercased word `text[start, end)` (ASCII, with `hash` from `hashOfSpan`). */
  entryOfSpan(text: string, start: number, end: number, hash: number): number {
    const mask = this.#slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot] as number;
      if (entry === -1) return this.#insert(text.slice(start, end).toLowerCase(), hash);
      if (matchesSpan(this.#words[entry] as string, text, start, end)) return entry;
    }
  }

  entryOf(word: string, hash = hashOfString(word)): number {
    const mask = this.#slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot] as number;
      if (entry === -1) return this.#insert(word, hash);
      if (this.#words[entry] === word) return entry;
    }
  }

  word(entry: number): string {
    return this.#words[entry] as string;
  }

  facts(entry: number): WordFacts {
    return this.#facts[entry] as WordFacts;
  }
}

/**
 * The isolate's word facts (see `WordIndexer` for a text's share of them), allocated on the first
 * analysis (about 0.6 MB of typed arrays a start-up need not zero).
 */
export const factsCache = lazy(() => new FactsCache());

/** The facts of a lowercased word, memoized per isolate. */
export function factsOf(word: string): WordFacts {
  const cache = factsCache();
  return cache.facts(cache.entryOf(word));
}
