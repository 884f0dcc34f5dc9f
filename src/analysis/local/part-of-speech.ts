import { POS_LEXICON } from "./data/part-of-speech-lexicon";
import type { TokenizedText } from "./tokenize";

/**
 * Coarse word classes, one letter each: noun, verb, modal, adjective, adverb, pronoun,
 * determiner, preposition (also subordinator and particle), coordinating conjunction, `to`,
 * number, interjection, other.
 */
export type WordClass = "n" | "v" | "m" | "j" | "r" | "p" | "d" | "i" | "c" | "t" | "#" | "u" | "x";

/** A word's possible classes, most likely first (one or two letters). */
type Candidates = string;

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
const CACHE_LIMIT = 20_000;

let lexicon: Map<string, Candidates> | undefined;
const candidatesByWord = new Map<string, { candidates: Candidates; known: boolean }>();

function lexiconTable(): Map<string, Candidates> {
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

function lookUp(word: string): { candidates: Candidates; known: boolean } {
  const code = word.charCodeAt(0);
  if (code >= 48 && code <= 57) return { candidates: "#", known: true };
  let base = word;
  const apostrophe = word.search(/['’]/);
  if (apostrophe > 0) {
    const negated = /n['’]t$/.test(word);
    base = negated ? word.slice(0, -3) : word.slice(0, apostrophe);
    base = NEGATED_MODAL_BASES[base] ?? base;
  }
  const listed = lexiconTable().get(base);
  return listed === undefined
    ? { candidates: guessWordClass(base), known: false }
    : { candidates: listed, known: true };
}

/** A lowercased word's possible classes, memoized per isolate. */
function candidatesOf(word: string): { candidates: Candidates; known: boolean } {
  let entry = candidatesByWord.get(word);
  if (entry === undefined) {
    if (candidatesByWord.size >= CACHE_LIMIT) candidatesByWord.clear();
    entry = lookUp(word);
    candidatesByWord.set(word, entry);
  }
  return entry;
}

/** One word class per word, and which words are proper nouns. */
export interface TaggedWords {
  readonly classes: WordClass[];
  readonly proper: boolean[];
}

function chooseClass(
  { candidates, known }: { candidates: Candidates; known: boolean },
  previousClass: WordClass | undefined,
  previousWord: string,
): WordClass {
  const first = candidates[0] as WordClass;
  if (previousClass === undefined) return first;
  const canBe = (wordClass: WordClass) =>
    candidates.includes(wordClass) || (!known && first === "n" && wordClass === "v");
  if (canBe("v") && (previousClass === "t" || previousClass === "m" || SUBJECT_PRONOUNS.has(previousWord)))
    return "v";
  if (
    first === "v" &&
    canBe("n") &&
    (previousClass === "d" || previousClass === "j" || NOUN_INTRODUCERS.has(previousWord))
  )
    return "n";
  return first;
}

/**
 * Tags each word with a coarse class: the most frequent tag of the word in en-lexicon (en-pos's
 * lexicon, cut to frequent words by `npm run build:pos-lexicon`), corrected by the word before (adverbs
 * skipped) for words that are often two classes (`to work`, `the work`, `I really like`); unknown words by their ending, else noun.
 * Capitalized words inside a sentence are proper nouns.
 */
export function tagWords(text: TokenizedText): TaggedWords {
  const { words, capitalized, sentenceInitial } = text;
  const classes: WordClass[] = new Array(words.length);
  const proper: boolean[] = new Array(words.length);
  let previousClass: WordClass | undefined;
  let previousWord = "";
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] as string;
    const opensSentence = sentenceInitial[index] === true;
    if (opensSentence) previousClass = undefined;
    let wordClass = chooseClass(candidatesOf(word), previousClass, previousWord);
    const nameLike = wordClass === "n" || wordClass === "v" || wordClass === "j";
    const isProper = capitalized[index] === true && word !== "i" && nameLike && !opensSentence;
    if (isProper) wordClass = "n";
    classes[index] = wordClass;
    proper[index] = isProper;
    if (wordClass !== "r") {
      previousClass = wordClass;
      previousWord = word;
    }
  }
  return { classes, proper };
}
