import { errorName } from "../lib/errors";
import { sha256Hex } from "../lib/ids";
import { type Metrics, MetricsSchema } from "../schemas/metrics";
import type { Services } from "../services";

export interface ScoreOptions {
  prompt?: string;
  /** Read and write scores by content hash; default: only when Neo scores (its calls cost money). */
  reuse?: boolean;
  /**
   * Whose reused scores these are (the API key's name; none with auth off): one key never reads
   * another's, so the cache is no "seen before" oracle and hands out no other caller's analysis id.
   */
  owner: string | undefined;
  /** Runs the cache write after the answer (`waitUntil`); without it the write is awaited. */
  defer?: (work: Promise<unknown>) => void;
}

/**
 * Scores a text. With `reuse`, an earlier score of the identical text by the same analyzer for the
 * same owner is read from the cache (content hash), and a fresh one is written there — unless it is a local fallback
 * after a Neo failure, so that Neo is asked again next time. On a chat reply the local analyzer is
 * cheaper than that cache round trip, so chats reuse only Neo scores. An analyzer failure yields
 * `null`: a chat never fails because scoring did.
 */
export async function scoreText(
  text: string,
  services: Services,
  options: ScoreOptions,
): Promise<Metrics | null> {
  const { analyzer, store, log } = services;
  const { prompt, reuse = analyzer.primary === "neo", defer, owner } = options;
  try {
    if (!reuse) return await analyzer.analyze(text, { prompt });
    const key = await sha256Hex(JSON.stringify([owner ?? null, analyzer.primary, text]));
    const cached = MetricsSchema().safeParse(await store.getAnalysis(key).catch(() => null));
    if (cached.success) return cached.data;
    const metrics = await analyzer.analyze(text, { prompt });
    if (metrics.source === analyzer.primary) {
      const save = store.saveAnalysis(key, metrics).catch(() => undefined);
      if (defer) defer(save);
      else await save;
    }
    return metrics;
  } catch (error) {
    log({ msg: "analysis_failed", reason: errorName(error) }, "warn");
    return null;
  }
}
