import type { Metrics } from "../../schemas/metrics";
import { codeShareOf } from "./confidence";
import { analyzeLocally, borrowTools, returnTools, type SentenceMemory, scoreTally } from "./index";

/** A local analysis of a text that arrives in pieces. */
export interface IncrementalAnalysis {
  append(chunk: string): void;
  /** The local metrics of everything appended so far: equal to `analyzeLocally` of that text. */
  metrics(): Metrics;
  /** The text is complete and scored: hands the analysis's arrays on to the next one. Use it no more. */
  release(): void;
}

const WHITESPACE = /\s/u;

/** The position just after the last whitespace character of `text`; 0 if none. */
function afterLastWhitespace(text: string): number {
  for (let index = text.length - 1; index >= 0; index -= 1) {
    if (WHITESPACE.test(text[index] as string)) return index + 1;
  }
  return 0;
}

/**
 * Scores a growing text without re-reading it. Everything up to the last whitespace is tokenized
 * once and added to running sums (a `TextTally`): words, closed sentences, n-grams. Each score
 * then reads only the unfinished end — the open word, and the sentence it may close — provisionally,
 * derives the metrics from the sums, and forgets that end again. A text with backticks falls back
 * to `analyzeLocally`, as its code spans change the prose as a whole.
 *
 * The text not yet tokenized is kept as the chunks that brought it and joined when read (no token
 * spans a whitespace, so the tokenizer needs nothing before it): a joined string reads faster than
 * the whole text grown chunk by chunk.
 *
 * @example
 * const analysis = startIncrementalAnalysis();
 * for (const chunk of chunks) analysis.append(chunk);
 * analysis.metrics(); // deep-equal to analyzeLocally(chunks.join(""))
 */
export function startIncrementalAnalysis(): IncrementalAnalysis {
  const tools = borrowTools();
  const { tokenizer, tally } = tools;
  let released = false;
  let text = "";
  let unread: string[] = [];
  let hasCode = false;
  const sentenceMemory: SentenceMemory = { counts: [], settled: 0 };
  return {
    append(chunk) {
      text += chunk;
      unread.push(chunk);
      if (chunk.includes("`")) hasCode = true;
    },
    metrics() {
      if (released) throw new Error("This incremental analysis was released");
      if (hasCode) return analyzeLocally(text);
      const pending = unread.join("");
      const settled = afterLastWhitespace(pending);
      if (settled > 0) {
        tokenizer.characterBase = text.length - pending.length;
        tokenizer.read(pending, 0, settled);
        tally.advance(tokenizer.tokens(text.length - pending.length + settled), false);
      }
      const end = pending.slice(settled);
      unread = end === "" ? [] : [end];
      const before = tokenizer.mark();
      sentenceMemory.settled = before.sentences;
      tokenizer.characterBase = text.length - end.length;
      tokenizer.read(end, 0);
      const tokenized = tokenizer.finish(text.length);
      tally.record();
      tally.advance(tokenized, true);
      // Without backticks the prose is the whole text, and the tokenizer has counted its code symbols.
      const codeShare = codeShareOf(text.length, text.length, tokenizer.codeSymbols);
      const metrics = scoreTally(tally, tokenized, codeShare, sentenceMemory);
      tally.undo();
      tokenizer.rollback(before);
      return metrics;
    },
    release() {
      if (released) return;
      released = true;
      returnTools(tools, tokenizer.words.length);
    },
  };
}
