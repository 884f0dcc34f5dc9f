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
  /** Numbers the node within its trie (0, 1, …), so a scorer can mark the n-grams it counted. */
  index: number;
  weight: number;
  next: Map<string, TrieNode>;
}

interface Trie {
  root: Map<string, TrieNode>;
  nodes: number;
}

const tries = new WeakMap<object, Trie>();

/** The table as a trie of tokens, so scoring a text builds no n-gram strings. */
function asTrie(table: Readonly<Record<string, number>>): Trie {
  let trie = tries.get(table);
  if (trie) return trie;
  trie = { root: new Map(), nodes: 0 };
  for (const [gram, weight] of Object.entries(table)) {
    let level = trie.root;
    let node: TrieNode | undefined;
    for (const token of gram.split(" ")) {
      node = level.get(token);
      if (!node) {
        node = { index: trie.nodes, weight: 0, next: new Map() };
        trie.nodes += 1;
        level.set(token, node);
      }
      level = node.next;
    }
    if (node) node.weight = weight;
  }
  tries.set(table, trie);
  return trie;
}

/**
 * `ngramLogOdds` of a token sequence that grows: each start position is read once its two
 * following tokens are known (`advance`), the last ones when the sequence is complete.
 */
export class NgramScorer {
  /** The next start position to read, and the summed weights of the distinct n-grams found so far. */
  next = 0;
  total = 0;
  readonly #trie: Trie;
  readonly #counted: Uint8Array;
  /** Nodes counted while recording, to uncount on `undo`. */
  readonly #recorded: number[] = [];
  #recording = false;
  #saved = { next: 0, total: 0 };

  constructor(table: Readonly<Record<string, number>>) {
    this.#trie = asTrie(table);
    this.#counted = new Uint8Array(this.#trie.nodes);
  }

  /** Reads the start positions below `until` of `tokens` (n-grams that run past its end are cut short). */
  advance(tokens: readonly string[], until: number): void {
    const { root } = this.#trie;
    const counted = this.#counted;
    const count = tokens.length;
    let total = this.total;
    for (let start = this.next; start < until; start += 1) {
      let level = root;
      for (let end = start; end < count && end < start + LONGEST_NGRAM; end += 1) {
        const node: TrieNode | undefined = level.get(tokens[end] as string);
        if (node === undefined) break;
        if (node.weight !== 0 && counted[node.index] === 0) {
          counted[node.index] = 1;
          if (this.#recording) this.#recorded.push(node.index);
          total += node.weight;
        }
        level = node.next;
      }
    }
    this.total = total;
    this.next = Math.max(this.next, until);
  }

  /** Back to an empty sequence. */
  clear(): void {
    this.#counted.fill(0);
    this.next = 0;
    this.total = 0;
  }

  /** Reads every start position not yet read: the sequence is complete. */
  finish(tokens: readonly string[]): void {
    this.advance(tokens, tokens.length);
  }

  /** Naive-Bayes evidence of the `count` tokens read (see `ngramLogOdds`). */
  logOdds(count: number): number {
    if (count === 0) return 0;
    const occurrences = 3 * count - 3 + (count === 1 ? 1 : 0);
    return this.total / occurrences;
  }

  /** Starts a provisional reading, forgotten by `undo`. */
  record(): void {
    this.#recording = true;
    this.#saved = { next: this.next, total: this.total };
  }

  undo(): void {
    for (const index of this.#recorded) this.#counted[index] = 0;
    this.#recorded.length = 0;
    this.#recording = false;
    this.next = this.#saved.next;
    this.total = this.#saved.total;
  }
}

/**
 * Naive-Bayes evidence of a text's 1–3-grams: the summed weights of the distinct table n-grams
 * it contains, divided by its number of n-gram occurrences (0 for no tokens). > 0 leans human.
 */
export function ngramLogOdds(tokens: readonly string[], table: Readonly<Record<string, number>>): number {
  if (tokens.length === 0) return 0;
  const scorer = new NgramScorer(table);
  scorer.finish(tokens);
  return scorer.logOdds(tokens.length);
}
