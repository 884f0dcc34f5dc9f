import { sha256Hex } from "../lib/ids";
import { type Metrics, MetricsSchema } from "../schemas/metrics";
import type { Services } from "../services";

/**
 * Scores a text. With `reuse` (the default when Neo scores, whose calls cost time and money) an
 * earlier score of the identical text is read from the cache by content hash, and a fresh Neo score is
 * written there. The local analyzer on a chat reply is cheaper than that cache round trip.
 * An analyzer failure yields `null`: a chat never fails because scoring did.
 */
export async function scoreText(
  text: string,
  services: Services,
  options: { prompt?: string; reuse?: boolean } = {},
): Promise<Metrics | null> {
  const { analyzer, store, log } = services;
  const { prompt, reuse = analyzer.primary === "neo" } = options;
  try {
    if (!reuse) return await analyzer.analyze(text, { prompt });
    const hash = await sha256Hex(text);
    const cached = MetricsSchema.safeParse(await store.getAnalysis(hash).catch(() => null));
    if (cached.success) return cached.data;
    const metrics = await analyzer.analyze(text, { prompt });
    if (metrics.source === "neo") await store.saveAnalysis(hash, metrics).catch(() => undefined);
    return metrics;
  } catch (error) {
    log({ msg: "analysis_failed", reason: error instanceof Error ? error.name : "unknown" }, "warn");
    return null;
  }
}
