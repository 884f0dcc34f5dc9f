import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeUpstream, type FakeUpstreamOptions, spawnFakeUpstream } from "../fake-upstream.ts";
import {
  type BuiltWorker,
  buildWorker,
  type ServedWorker,
  type ServeOptions,
  serveWorker,
} from "./workerd.ts";

export const BASELINE_CONFIG = "bench/baseline/wrangler.toml";
export const OUR_CONFIG = "wrangler.toml";

/** Everything one benchmark run talks to: the fake upstream and both workers under `workerd serve`. */
export interface Stand {
  upstream: FakeUpstream & { pid: number };
  baseline: ServedWorker;
  ours: ServedWorker;
  builds: { baseline: BuiltWorker; ours: BuiltWorker };
  stop(): Promise<void>;
}

/** The env our worker gets in the benchmark: no auth, one provider (the fake upstream), quiet logs. */
export function ourVars(upstream: FakeUpstream, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AUTH_DISABLED: "true",
    GROQ_API_KEY: "bench-not-a-secret-key",
    GROQ_BASE_URL: upstream.groqBaseUrl,
    LLM_PROVIDERS: "groq",
    LOG_LEVEL: "error",
    RATE_LIMIT_CHAT_PER_MINUTE: "100000",
    RATE_LIMIT_ANALYZE_PER_MINUTE: "100000",
    RATE_LIMIT_READ_PER_MINUTE: "100000",
    ...extra,
  };
}

/**
 * Builds both workers with `wrangler deploy --dry-run`, starts the upstream and serves both workers.
 * `serveOurs` adds serve options for our worker (V8 flags and its output, for GC traces), and
 * `serveBaseline` for the bare proxy.
 */
export async function startStand(
  upstreamOptions: FakeUpstreamOptions,
  serveOurs: Pick<ServeOptions, "v8Flags" | "onStdout"> = {},
  serveBaseline: Pick<ServeOptions, "v8Flags" | "onStdout"> = {},
): Promise<Stand> {
  const workdir = await mkdtemp(join(tmpdir(), "neon-nexus-bench-"));
  const [baselineBuild, ourBuild] = await Promise.all([
    buildWorker(BASELINE_CONFIG, join(workdir, "baseline")),
    buildWorker(OUR_CONFIG, join(workdir, "ours")),
  ]);
  const upstream = await spawnFakeUpstream(upstreamOptions);
  const closers: (() => Promise<void>)[] = [() => upstream.close()];
  const stop = async () => {
    await Promise.all(closers.map((close) => close()));
    await rm(workdir, { recursive: true, force: true });
  };
  try {
    const baseline = await serveWorker(baselineBuild, {
      ...serveBaseline,
      vars: { UPSTREAM_BASE_URL: upstream.groqBaseUrl },
    });
    closers.push(baseline.stop);
    const ours = await serveWorker(ourBuild, { ...serveOurs, vars: ourVars(upstream) });
    closers.push(ours.stop);
    return { upstream, baseline, ours, builds: { baseline: baselineBuild, ours: ourBuild }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
