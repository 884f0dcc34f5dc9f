import { lazy } from "../../lib/lazy";
import { POS_LEXICON } from "./data/part-of-speech-lexicon";
import type { TokenizedText } from "./tokenize";

/**
 * Coarse word classes, one letter each: noun, verb, modal, adjective, adverb, pronoun,
 * determiner, preposition (also subordinator and particle), coordinating conjunction, `to`,
 * number, interjection, other.
 */
export type WordClass = "n" | "v" | "m" | "j" | "r" | "p" | "d" | "i" | "c" | "t" | "#" | "u" | "x";

/** Endings that mark an unknown word's class; the first match wins (en-pos's suffix rules, coarse). */
const SUFFIX_RULES: ReadonlyArray<readonly [RegExp, WordClass]> = [
  [/.(?:rate|late|nate|ize|ise|ify|izes|ises|ifies|izing|ising|ized|ised|ified|ifying)$/, "v"],
  [/.(?:acy|dom|ence|ance|ist|ity|ment|ness|ship|sion|tion|ism|er|or|ers|ors|ists|ments|tions|sions)$/, "n"],
  [
    /.(?:able|ible|ical|esque|ous|etic|atic|ish|ive|gic|tic|mic|less|ful|ilar|ular|like|some|escent|ary|ial|al)$/,
    "j",
  ],
  [/.(?:ly|wise|ward|wards)$/, "r"],
  [/.(?:iest|dest)$/, "j"],
  [/..(?:ing|ed)$/, "v"],
];
const NEGATED_MODAL_BASES: Readonly<Record<string, string>> = { ca: "can", wo: "will", sha: "shall" };
const SUBJECT_PRONOUNS: ReadonlySet<string> = new Set(["i", "you", "he", "she", "it", "we", "they"]);
const NOUN_INTRODUCERS: ReadonlySet<string> = new Set(["my", "your", "his", "her", "its", "our", "their"]);

/** Each listed word's one or two classes, most likely first. */
let lexicon: Map<string, string> | undefined;

function lexiconTable(): Map<string, string> {
  if (lexicon) return lexicon;
  lexicon = new Map();
  for (const [candidates, words] of POS_LEXICON)
    for (const word of words.split(" ")) lexicon.set(word, candidates);
  return lexicon;
}

/** The class an unknown word's ending suggests; nouns are the default. */
export function guessWordClass(word: string): WordClass {
  for (const [ending, wordClass] of SUFFIX_RULES) if (ending.test(word)) return wordClass;
  return "n";
}

/** What the tagger needs to know about one word, derived from the word alone. */
export interface LexicalEntry {
  readonly first: WordClass;
  /** Listed as a verb too, or unknown and nothing but its (missing) ending says noun. */
  readonly canBeVerb: boolean;
  readonly canBeNoun: boolean;
  readonly isSubjectPronoun: boolean;
  readonly introducesNoun: boolean;
}

/** The tagger's entry for a lowercased word (kept with the word's facts, see `factsOf`). */
export function lexicalEntry(word: string): LexicalEntry {
  const code = word.charCodeAt(0);
  let base = word;
  const apostrophe = word.search(/['’]/);
  if (apostrophe > 0) {
    const negated = /n['’]t$/.test(word);
    base = negated ? word.slice(0, -3) : word.slice(0, apostrophe);
    base = NEGATED_MODAL_BASES[base] ?? base;
  }
  const listed = lexiconTable().get(base);
  const candidates = code >= 48 && code <= 57 ? "#" : (listed ?? guessWordClass(base));
  const first = candidates[0] as WordClass;
  return sharedEntry({
    first,
    canBeVerb: candidates.includes("v") || (listed === undefined && first === "n"),
    canBeNoun: candidates.includes("n"),
    isSubjectPronoun: SUBJECT_PRONOUNS.has(word),
    introducesNoun: NOUN_INTRODUCERS.has(word),
  });
}

/** The few distinct entries, one object each, so a text's tagging reads a handful of objects. */
const entries = new Map<string, LexicalEntry>();

function sharedEntry(entry: LexicalEntry): LexicalEntry {
  const key = `${entry.first}${+entry.canBeVerb}${+entry.canBeNoun}${+entry.isSubjectPronoun}${+entry.introducesNoun}`;
  const shared = entries.get(key);
  if (shared !== undefined) return shared;
  entries.set(key, entry);
  return entry;
}

/** The entry standing before a text's first word (built on first use: it reads the lexicon). */
export const NO_ENTRY = lazy(() => lexicalEntry(""));

/** One word class per word, and which words are proper nouns. */
export interface TaggedWords {
  readonly classes: WordClass[];
  readonly proper: boolean[];
}

/**
 * A word's class from its entry and the class and entry of the word before it in the sentence
 * (adverbs skipped; `previousClass` undefined at a sentence's start).
 */
export function chooseClass(
  entry: LexicalEntry,
  previousClass: WordClass | undefined,
  previous: LexicalEntry,
): WordClass {
  const { first } = entry;
  if (previousClass === undefined) return first;
  if (entry.canBeVerb && (previousClass === "t" || previousClass === "m" || previous.isSubjectPronoun))
    return "v";
  if (
    first === "v" &&
    entry.canBeNoun &&
    (previousClass === "d" || previousClass === "j" || previous.introducesNoun)
  )
    return "n";
  return first;
}

/** Whether a word of class `wordClass` is a proper noun: capitalized, not `I`, not opening a sentence. */
export function isProperNoun(
  wordClass: WordClass,
  word: string,
  capitalized: boolean,
  opensSentence: boolean,
): boolean {
  const nameLike = wordClass === "n" || wordClass === "v" || wordClass === "j";
  return capitalized && word !== "i" && nameLike && !opensSentence;
}

/**
 * Tags each word with a coarse class: the most frequent tag of the word in en-lexicon (en-pos's
 * lexicon, cut to frequent words by `npm run build:pos-lexicon`), corrected by the word before (adverbs
 * skipped) for words that are often two classes (`to work`, `the work`, `I really like`); unknown words by their ending, else noun.
 * Capitalized words inside a sentence are proper nouns.
 */
export function tagWords(text: TokenizedText): TaggedWords {
  const { words, capitalized, sentenceInitial } = text;
  const { ids, lexical } = text.indexed;
  const classes: WordClass[] = new Array(words.length);
  const proper: boolean[] = new Array(words.length);
  let previousClass: WordClass | undefined;
  let previous = NO_ENTRY();
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] as string;
    const opensSentence = sentenceInitial[index] === true;
    if (opensSentence) previousClass = undefined;
    const entry = lexical[ids[index] as number] as LexicalEntry;
    let wordClass = chooseClass(entry, previousClass, previous);
    const isProper = isProperNoun(wordClass, word, capitalized[index] === true, opensSentence);
    if (isProper) wordClass = "n";
    classes[index] = wordClass;
    proper[index] = isProper;
    if (wordClass !== "r") {
      previousClass = wordClass;
      previous = entry;
    }
  }
  return { classes, proper };
}
