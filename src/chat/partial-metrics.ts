import { startIncrementalAnalysis } from "../analysis/local/incremental";
import { latestWins } from "../rooms/latest-wins";
import type { Metrics } from "../schemas/metrics";
import type { PartialMetricsEvent } from "../schemas/partial-metrics";
import type { RoomMessage } from "../schemas/room";
import type { Services } from "../services";
import type { PreparedChat } from "./prepare";
import { publish } from "./room-progress";
import type { WaitUntil } from "./types";

/** Scores a streaming reply as it grows. */
export interface PartialMetrics {
  /** Adds a chunk of the reply; true when another N words have arrived and `score` is due. */
  add(chunk: string): boolean;
  /**
   * Scores the reply added so far and offers it to the room; answers the SSE event. Synchronous: call
   * it while the next upstream chunk is on its way, so the analysis overlaps the wait for it.
   */
  score(): PartialMetricsEvent;
  /** No more room partials; settles once the one in flight is done, so the final cannot be overtaken. */
  close(): Promise<void>;
  /**
   * The local metrics of the whole reply, from the same running sums; call once, when the reply is
   * complete (the analysis then hands its arrays on to the next one).
   */
  final(): Metrics;
}

/**
 * Partial metrics for a streamed chat, or `undefined` when they are off (`PARTIAL_METRICS_EVERY_WORDS=0`,
 * or the request asked for no metrics). Every N words the reply so far is scored by the built-in
 * analyzer (incrementally: no Neo call, no re-reading of closed sentences) and the score goes to the
 * room coalesced: one publish in flight at most, the newest partial replacing one still waiting, so a
 * slow room never holds the stream back.
 */
export function trackPartialMetrics(
  chat: PreparedChat,
  services: Services,
  waitUntil: WaitUntil,
): PartialMetrics | undefined {
  const every = services.config.partialMetricsEveryWords;
  if (every === 0 || chat.request.metrics === "off") return undefined;
  const analysis = startIncrementalAnalysis();
  const room = services.rooms
    ? latestWins((message: RoomMessage) => publish(chat, services, message), waitUntil)
    : undefined;
  const counter = wordCounter();
  let words = 0;
  let next = every;
  return {
    add(chunk) {
      analysis.append(chunk);
      words = counter.add(chunk);
      if (words < next) return false;
      next = (Math.floor(words / every) + 1) * every;
      return true;
    },
    score() {
      const metrics = analysis.metrics();
      const { messageId, conversationId } = chat;
      room?.offer({ type: "metrics", data: { messageId, conversationId, metrics, partial: true, words } });
      return { messageId, words, partial: true, metrics };
    },
    close: () => room?.close() ?? Promise.resolve(),
    final() {
      const metrics = analysis.metrics();
      analysis.release();
      return metrics;
    },
  };
}

/** Counts whitespace-separated words across chunks (a word split between two chunks counts once). */
function wordCounter(): { add(chunk: string): number } {
  let words = 0;
  let inWord = false;
  return {
    add(chunk) {
      for (let index = 0; index < chunk.length; index += 1) {
        const code = chunk.charCodeAt(index);
        const space =
          code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(chunk[index] as string));
        if (space) inWord = false;
        else if (!inWord) {
          inWord = true;
          words += 1;
        }
      }
      return words;
    },
  };
}
