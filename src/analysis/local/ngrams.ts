const LONGEST_NGRAM = 3;

/**
 * The n-gram table the detector reads: weight > 0 = the n-gram leans human. (A word 1–3-gram table
 * was dropped: it learned topics and registers, and lowered scores on unseen domains.)
 */
export interface NgramTables {
  /** 1–3-grams of the text's skeleton (see `skeletonOfWord`). */
  functionWords: Record<string, number>;
}

/**
 * A word as it appears in the text's skeleton: stop words as themselves, other words as `C`
 * (capitalized), `#` (number) or `_`. With punctuation marks kept as they are, "He said, Mary
 * left." becomes `he said , C _ .`
 */
export function skeletonOfWord(word: string, lower: string, isStopWord: boolean): string {
  if (isStopWord) return lower;
  const first = word[0] as string;
  if (first >= "0" && first <= "9") return "#";
  return first === lower[0] ? "_" : "C";
}

/** Distinct 1–3-grams of a token sequence ending at or after `from` (earlier tokens only as context). */
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

interface TrieNode {
  weight: number;
  next: Map<string, TrieNode>;
  /** The last `ngramLogOdds` call that counted this n-gram, so each n-gram counts once per text. */
  countedInCall: number;
}

let scoringCalls = 0;
const tries = new WeakMap<object, Map<string, TrieNode>>();

/** The table as a trie of tokens, so scoring a text builds no n-gram strings. */
function asTrie(table: Readonly<Record<string, number>>): Map<string, TrieNode> {
  let root = tries.get(table);
  if (root) return root;
  root = new Map();
  for (const [gram, weight] of Object.entries(table)) {
    let level = root;
    let node: TrieNode | undefined;
    for (const token of gram.split(" ")) {
      node = level.get(token);
      if (!node) {
        node = { weight: 0, next: new Map(), countedInCall: 0 };
        level.set(token, node);
      }
      level = node.next;
    }
    if (node) node.weight = weight;
  }
  tries.set(table, root);
  return root;
}

/**
 * Naive-Bayes evidence of a text's 1–3-grams: the summed weights of the distinct table n-grams
 * it contains, divided by its number of n-gram occurrences (0 for no tokens). > 0 leans human.
 */
export function ngramLogOdds(tokens: readonly string[], table: Readonly<Record<string, number>>): number {
  const count = tokens.length;
  if (count === 0) return 0;
  const root = asTrie(table);
  scoringCalls += 1;
  let total = 0;
  for (let start = 0; start < count; start += 1) {
    let level = root;
    for (let end = start; end < count && end < start + LONGEST_NGRAM; end += 1) {
      const node: TrieNode | undefined = level.get(tokens[end] as string);
      if (node === undefined) break;
      if (node.weight !== 0 && node.countedInCall !== scoringCalls) {
        node.countedInCall = scoringCalls;
        total += node.weight;
      }
      level = node.next;
    }
  }
  const occurrences = 3 * count - 3 + (count === 1 ? 1 : 0);
  return total / occurrences;
}
