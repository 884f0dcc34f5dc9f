/**
 * Small hand-picked English word lists. Stop words come from the `stopwords-en` package; these
 * lists cover what no package offers: stock wording of chat assistants and cheap style markers.
 */

/** Single words chat models overuse compared with human writers. */
export const STOCK_WORDS: ReadonlySet<string> = new Set(
  (
    "additionally furthermore moreover overall crucial essential significant significantly ensure ensuring " +
    "comprehensive various potential enhance enhancing vital foster fostering delve delves tapestry vibrant " +
    "testament realm landscape pivotal navigate navigating intricate unwavering resilience embark commitment " +
    "innovative multifaceted seamless seamlessly underscore underscores showcasing highlighting notably " +
    "ultimately profound bustling remarkable dedication transformative invaluable meticulous meticulously " +
    "paramount robust utilize utilizing leverage leveraging facilitate holistic nuanced endeavor endeavors " +
    "captivating mesmerizing enchanting symphony beacon whimsical unforeseen advancements initiatives " +
    "stakeholders sustainable enthusiasts renowned exceptional immersive intriguing"
  ).split(" "),
);

/** Word pairs typical of assistant prose. */
export const STOCK_BIGRAMS: ReadonlySet<string> = new Set([
  "in addition",
  "plays a",
  "a testament",
  "in conclusion",
  "a sense",
  "aims to",
  "committed to",
  "the importance",
  "a wide",
  "wide range",
  "a variety",
  "variety of",
  "the potential",
  "continues to",
  "a crucial",
  "a significant",
  "a vital",
  "an essential",
  "it is",
  "ensure that",
  "is essential",
  "is crucial",
  "the future",
  "the world",
  "the community",
  "their own",
  "each other",
  "a new",
  "filled with",
  "sense of",
]);

/** Word triples typical of assistant prose. */
export const STOCK_TRIGRAMS: ReadonlySet<string> = new Set([
  "it is important",
  "is important to",
  "a sense of",
  "plays a crucial",
  "plays a vital",
  "a crucial role",
  "a vital role",
  "a significant role",
  "in addition to",
  "a wide range",
  "wide range of",
  "a variety of",
  "a testament to",
  "the importance of",
  "it is essential",
  "it is crucial",
  "in order to",
  "as well as",
  "the world of",
  "in the world",
  "a world where",
  "in the face",
  "the face of",
  "the power of",
  "the beauty of",
  "the end of",
  "with a smile",
  "a deep breath",
  "is expected to",
  "in recent years",
]);

/** Longer stock phrases, matched as word sequences. */
export const STOCK_PHRASES: ReadonlyArray<readonly string[]> = [
  "it is important to note",
  "it's important to note",
  "it is worth noting",
  "it's worth noting",
  "as an ai language model",
  "i hope this helps",
  "let me know if",
  "feel free to",
  "in today's fast paced world",
  "plays a crucial role in",
  "serves as a reminder",
  "stands as a testament to",
  "a rich tapestry of",
  "navigate the complexities of",
  "delve into the",
  "on the other hand",
  "at the end of the day",
  "in the realm of",
  "the ever changing",
  "little did they know",
  "a sense of purpose",
  "a sense of belonging",
].map((phrase) => phrase.split(" "));

/** Forms of "to be" that can open a passive construction. */
export const BE_FORMS: ReadonlySet<string> = new Set([
  "am",
  "is",
  "are",
  "was",
  "were",
  "be",
  "been",
  "being",
]);

/** Common irregular past participles (regular ones end in -ed). */
export const IRREGULAR_PARTICIPLES: ReadonlySet<string> = new Set(
  (
    "been born borne beaten become begun bent bitten blown broken brought built burnt bought caught chosen " +
    "come cut dealt done drawn driven drunk eaten fallen felt fought found flown forbidden forgotten forgiven " +
    "frozen given gone grown hung heard hidden held hit hurt kept known laid led left lent let lain lit lost " +
    "made meant met paid put read ridden rung risen run said seen sought sold sent set shaken shot shown shut " +
    "sung sunk sat slept slid spoken spent spun spread stood stolen stuck stung struck sworn swept swum taken " +
    "taught torn told thought thrown understood woken worn won withdrawn written"
  ).split(" "),
);

/** Words that mark a casual, personal register. */
export const INFORMAL_WORDS: ReadonlySet<string> = new Set(
  (
    "i me my mine myself you your yours yourself we us our ours oh yeah yes wow hey okay ok um uh lol gonna " +
    "wanna gotta kinda sorta guess stuff maybe pretty really just"
  ).split(" "),
);

/** Contraction endings that mark a casual register (`n't`, `'re`, …). */
export const CONTRACTION_SUFFIXES: ReadonlyArray<string> = [
  "n't",
  "'re",
  "'ve",
  "'ll",
  "'d",
  "'m",
  "n’t",
  "’re",
  "’ve",
  "’ll",
  "’d",
  "’m",
];

/** Words that open a sentence in conversational writing far more than in edited prose. */
export const CONVERSATIONAL_OPENERS: ReadonlySet<string> = new Set([
  "and",
  "but",
  "so",
  "or",
  "because",
  "well",
  "now",
  "then",
]);

/**
 * How chat assistants frame a reply: words that open a sentence of an enumerated or summarised answer,
 * and reply openers (counted only when they open a sentence).
 */
export const FRAMING_OPENERS: ReadonlySet<string> = new Set([
  "firstly",
  "secondly",
  "thirdly",
  "lastly",
  "moreover",
  "furthermore",
  "additionally",
  "overall",
  "ultimately",
  "certainly",
  "absolutely",
]);

/** Phrases that frame a chat reply (matched anywhere, as word sequences). */
export const FRAMING_PHRASES: ReadonlyArray<readonly string[]> = [
  "in conclusion",
  "in summary",
  "to summarize",
  "i hope this helps",
  "hope this helps",
  "i hope this information",
  "let me know if",
  "feel free to",
  "great question",
  "i'd be happy to",
  "i would be happy to",
  "as an ai",
  "here are some",
  "here's a",
].map((phrase) => phrase.split(" "));
