import stopWordList from "stopwords-en/stopwords-en.json";

const STOP_WORDS: ReadonlySet<string> = new Set(stopWordList);
const STREAM_TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;
const LONGEST_NGRAM = 3;

/** The two n-gram tables the detector reads: weight > 0 = the n-gram leans human. */
export interface NgramTables {
  /** Word 1–3-grams (lowercased words joined by a space). */
  words: Record<string, number>;
  /** 1–3-grams of the function-word stream (see `functionWordStream`). */
  functionWords: Record<string, number>;
}

/**
 * The text's skeleton: stop words as themselves, punctuation marks as themselves, every other
 * word as `C` (capitalized), `#` (number) or `_`. "He said, Mary left." → `he said , C _ .`
 */
export function functionWordStream(prose: string): string[] {
  const stream: string[] = [];
  for (const [token] of prose.matchAll(STREAM_TOKEN)) {
    const lower = token.toLowerCase();
    const first = token[0] as string;
    if (!/[\p{L}\p{N}]/u.test(first)) stream.push(token);
    else if (STOP_WORDS.has(lower)) stream.push(lower);
    else if (first >= "0" && first <= "9") stream.push("#");
    else stream.push(first === lower[0] ? "_" : "C");
  }
  return stream;
}

/** Distinct 1–3-grams of a token sequence, starting at `from` (earlier tokens only as context). */
export function distinctNgrams(tokens: readonly string[], from = 0): Set<string> {
  const grams = new Set<string>();
  for (let end = from; end < tokens.length; end += 1) {
    let gram = tokens[end] as string;
    grams.add(gram);
    for (let length = 2; length <= LONGEST_NGRAM && end - length + 1 >= 0; length += 1) {
      gram = `${tokens[end - length + 1]} ${gram}`;
      grams.add(gram);
    }
  }
  return grams;
}

const tableMaps = new WeakMap<object, Map<string, number>>();

function asMap(table: Readonly<Record<string, number>>): Map<string, number> {
  let map = tableMaps.get(table);
  if (!map) {
    map = new Map(Object.entries(table));
    tableMaps.set(table, map);
  }
  return map;
}

/**
 * Naive-Bayes evidence of a text's n-grams: the sum of table weights of its distinct n-grams
 * divided by how many distinct n-grams it has (0 for an empty text). > 0 leans human.
 */
export function ngramLogOdds(tokens: readonly string[], table: Readonly<Record<string, number>>): number {
  const grams = distinctNgrams(tokens);
  if (grams.size === 0) return 0;
  const weights = asMap(table);
  let total = 0;
  for (const gram of grams) total += weights.get(gram) ?? 0;
  return total / grams.size;
}
