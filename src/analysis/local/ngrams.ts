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
 * A word as it appears in the text's skeleton: stop words as themselves, numbers as `#`, other
 * words as `C` (capitalized) or `_`, followed by `ly`, `ing` or `ed` when the word (five letters or
 * more) ends so. With punctuation marks kept as they are, "He said, Mary quickly left." becomes
 * `he said , C _ly _ .` The endings mark adverbs and participles, whose rates are a habit of style
 * rather than of topic (measured in docs/ANALYZER.md).
 */
export function skeletonOfWord(word: string, lower: string, isStopWord: boolean): string {
  if (isStopWord) return lower;
  const first = word[0] as string;
  if (first >= "0" && first <= "9") return "#";
  return wordShape(first !== lower[0], lower);
}

const SHAPES = { plain: ["_", "_ly", "_ing", "_ed"], capitalized: ["C", "Cly", "Cing", "Ced"] } as const;

/** The skeleton token of a word that is neither a stop word nor a number (see `skeletonOfWord`). */
export function wordShape(capitalized: boolean, lower: string): string {
  const shapes = capitalized ? SHAPES.capitalized : SHAPES.plain;
  if (lower.length < 5) return shapes[0];
  if (lower.endsWith("ly")) return shapes[1];
  if (lower.endsWith("ing")) return shapes[2];
  if (lower.endsWith("ed")) return shapes[3];
  return shapes[0];
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

/**
 * A table as a trie over token numbers, so scoring a text builds no n-gram strings: each token of
 * the table has a number (`symbolOf`), each n-gram a node; the root's children are found by
 * symbol, every other node's by an open-addressing table on (parent, symbol).
 */
interface Trie {
  readonly symbolOf: ReadonlyMap<string, number>;
  readonly nodes: number;
  /** Each node's weight (0 for a prefix the table does not list itself). */
  readonly weight: Float64Array;
  readonly rootChild: Int32Array;
  readonly childParent: Int32Array;
  readonly childSymbol: Int32Array;
  readonly childNode: Int32Array;
}

const NO_NODE = -1;
const tries = new WeakMap<object, Trie>();

const childSlot = (parent: number, symbol: number, mask: number) =>
  (Math.imul(parent, 0x9e3779b1) ^ Math.imul(symbol, 0x85ebca6b)) & mask;

function childOf(trie: Trie, parent: number, symbol: number): number {
  const mask = trie.childParent.length - 1;
  for (let slot = childSlot(parent, symbol, mask); ; slot = (slot + 1) & mask) {
    const found = trie.childParent[slot] as number;
    if (found === NO_NODE) return NO_NODE;
    if (found === parent && trie.childSymbol[slot] === symbol) return trie.childNode[slot] as number;
  }
}

function asTrie(table: Readonly<Record<string, number>>): Trie {
  const known = tries.get(table);
  if (known) return known;
  const symbolOf = new Map<string, number>();
  const grams = Object.entries(table).map(([gram, weight]) => ({
    symbols: gram.split(" ").map((token) => {
      if (!symbolOf.has(token)) symbolOf.set(token, symbolOf.size);
      return symbolOf.get(token) as number;
    }),
    weight,
  }));
  let slots = 2;
  while (slots < 4 * grams.length) slots *= 2;
  const trie: Trie = {
    symbolOf,
    nodes: 0,
    weight: new Float64Array(3 * grams.length),
    rootChild: new Int32Array(symbolOf.size).fill(NO_NODE),
    childParent: new Int32Array(slots).fill(NO_NODE),
    childSymbol: new Int32Array(slots),
    childNode: new Int32Array(slots),
  };
  let nodes = 0;
  for (const { symbols, weight } of grams) {
    let node = NO_NODE;
    for (const symbol of symbols) {
      let child = node === NO_NODE ? (trie.rootChild[symbol] as number) : childOf(trie, node, symbol);
      if (child === NO_NODE) {
        child = nodes;
        nodes += 1;
        if (node === NO_NODE) {
          trie.rootChild[symbol] = child;
        } else {
          const mask = slots - 1;
          let slot = childSlot(node, symbol, mask);
          while (trie.childParent[slot] !== NO_NODE) slot = (slot + 1) & mask;
          trie.childParent[slot] = node;
          trie.childSymbol[slot] = symbol;
          trie.childNode[slot] = child;
        }
      }
      node = child;
    }
    if (node !== NO_NODE) trie.weight[node] = weight;
  }
  const built = { ...trie, nodes };
  tries.set(table, built);
  return built;
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
  /** The symbol of each token read (−1 for a token outside the table). */
  #symbols = new Int32Array(256);
  #symbolsKnown = 0;
  /** Nodes counted while recording, to uncount on `undo`. */
  readonly #recorded: number[] = [];
  #recording = false;
  #saved = { next: 0, total: 0, symbolsKnown: 0 };

  constructor(table: Readonly<Record<string, number>>) {
    this.#trie = asTrie(table);
    this.#counted = new Uint8Array(this.#trie.nodes);
  }

  #readSymbols(tokens: readonly string[]): void {
    if (this.#symbols.length < tokens.length) {
      const grown = new Int32Array(Math.max(tokens.length, 2 * this.#symbols.length));
      grown.set(this.#symbols);
      this.#symbols = grown;
    }
    const { symbolOf } = this.#trie;
    for (let position = this.#symbolsKnown; position < tokens.length; position += 1)
      this.#symbols[position] = symbolOf.get(tokens[position] as string) ?? NO_NODE;
    this.#symbolsKnown = tokens.length;
  }

  /** Reads the start positions below `until` of `tokens` (n-grams that run past its end are cut short). */
  advance(tokens: readonly string[], until: number): void {
    this.#readSymbols(tokens);
    const trie = this.#trie;
    const { weight, rootChild } = trie;
    const counted = this.#counted;
    const symbols = this.#symbols;
    const count = tokens.length;
    let total = this.total;
    for (let start = this.next; start < until; start += 1) {
      const first = symbols[start] as number;
      let node = first === NO_NODE ? NO_NODE : (rootChild[first] as number);
      for (let end = start; node !== NO_NODE; ) {
        const nodeWeight = weight[node] as number;
        if (nodeWeight !== 0 && counted[node] === 0) {
          counted[node] = 1;
          if (this.#recording) this.#recorded.push(node);
          total += nodeWeight;
        }
        end += 1;
        if (end >= count || end >= start + LONGEST_NGRAM) break;
        const symbol = symbols[end] as number;
        node = symbol === NO_NODE ? NO_NODE : childOf(trie, node, symbol);
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
    this.#symbolsKnown = 0;
  }

  /** Reads every start position not yet read: the sequence is complete. */
  finish(tokens: readonly string[]): void {
    this.advance(tokens, tokens.length);
  }

  /** Naive-Bayes evidence of the `count` tokens read (see `ngramLogOdds`). */
  logOdds(count: number): number {
    if (count === 0) return 0;
    return this.total / ngramOccurrences(count);
  }

  /** Starts a provisional reading, forgotten by `undo`. */
  record(): void {
    this.#recording = true;
    this.#saved = { next: this.next, total: this.total, symbolsKnown: this.#symbolsKnown };
  }

  undo(): void {
    for (const node of this.#recorded) this.#counted[node] = 0;
    this.#recorded.length = 0;
    this.#recording = false;
    this.next = this.#saved.next;
    this.total = this.#saved.total;
    this.#symbolsKnown = this.#saved.symbolsKnown;
  }
}

/** How many 1–3-gram occurrences `count` tokens hold: 3 · `count` − 3 (one token: 1; none: 0). */
export function ngramOccurrences(count: number): number {
  return count === 0 ? 0 : 3 * count - 3 + (count === 1 ? 1 : 0);
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

/**
 * For each range of `tokens` from range `firstRange` on (`bounds` holds four numbers per range, the
 * last two its first and past-the-last token), the summed weights of the table's n-grams that start
 * and end inside it, counted at every occurrence: a sentence's share of the n-gram evidence.
 */
export function ngramSumsByRange(
  tokens: readonly string[],
  bounds: readonly number[],
  table: Readonly<Record<string, number>>,
  firstRange = 0,
): number[] {
  const trie = asTrie(table);
  const { symbolOf, rootChild, weight } = trie;
  const sums: number[] = [];
  for (let range = firstRange; 4 * range < bounds.length; range += 1) {
    const from = bounds[4 * range + 2] as number;
    const to = bounds[4 * range + 3] as number;
    let sum = 0;
    let previous = NO_NODE;
    let beforePrevious = NO_NODE;
    for (let position = from; position < to; position += 1) {
      const symbol = symbolOf.get(tokens[position] as string) ?? NO_NODE;
      // The n-grams ending here: the token alone, with the one before, with the two before.
      if (symbol !== NO_NODE) {
        const single = rootChild[symbol] as number;
        if (single !== NO_NODE) sum += weight[single] as number;
        if (previous !== NO_NODE) {
          const pair = rootChild[previous] as number;
          const pairNode = pair === NO_NODE ? NO_NODE : childOf(trie, pair, symbol);
          if (pairNode !== NO_NODE) sum += weight[pairNode] as number;
          if (beforePrevious !== NO_NODE) {
            const first = rootChild[beforePrevious] as number;
            const second = first === NO_NODE ? NO_NODE : childOf(trie, first, previous);
            const third = second === NO_NODE ? NO_NODE : childOf(trie, second, symbol);
            if (third !== NO_NODE) sum += weight[third] as number;
          }
        }
      }
      beforePrevious = previous;
      previous = symbol;
    }
    sums.push(sum);
  }
  return sums;
}
