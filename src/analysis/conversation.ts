import type { ConversationScore, Metrics } from "../schemas/metrics";
import { detectLocally } from "./local";

/** The most recent assistant words read for a conversation score (older replies are left out). */
const MOST_WORDS = 3_000;

const wordsIn = (text: string) => text.split(/\s+/).filter((word) => word !== "").length;

/**
 * The local detector's score of a conversation's assistant replies read together, newest last: a
 * short reply alone rarely carries enough evidence, the replies of one conversation together do.
 * Reads the most recent replies up to about `MOST_WORDS` words; `undefined` without any reply text.
 * Only the detector runs (not the nine categories or the sentence scores): it is read every chat.
 */
export function conversationScore(replies: readonly string[]): ConversationScore | undefined {
  const kept: string[] = [];
  let words = 0;
  for (let index = replies.length - 1; index >= 0 && words < MOST_WORDS; index -= 1) {
    const reply = (replies[index] as string).trim();
    if (reply === "") continue;
    kept.unshift(reply);
    words += wordsIn(reply);
  }
  if (kept.length === 0) return undefined;
  const detected = detectLocally(kept.join("\n\n"));
  return {
    ai_probability: detected.verdict.ai_probability,
    is_ai_generated: detected.verdict.is_ai_generated,
    words: detected.words,
    replies: kept.length,
  };
}

/**
 * A chat reply's metrics with the score of the conversation's assistant replies so far (`turns`:
 * the conversation before this reply, any roles) added as `conversation`, from the second reply on
 * (before it, the reply's own score is the conversation's); `null` stays `null`.
 */
export function withConversationScore(
  metrics: Metrics | null,
  turns: readonly { role: string; content: string }[],
  reply: string,
): Metrics | null {
  if (!metrics) return metrics;
  const replies = turns.filter((turn) => turn.role === "assistant").map((turn) => turn.content);
  const conversation = conversationScore([...replies, reply]);
  return conversation && conversation.replies > 1 ? { ...metrics, conversation } : metrics;
}
