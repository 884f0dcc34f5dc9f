import { ourVars, type Stand } from "./stand.ts";
import { median } from "./stats.ts";
import { serveWorker } from "./workerd.ts";

export interface StartupFigures {
  rows: {
    name: "baseline" | "ours";
    bytes: number;
    gzipBytes: number;
    startupMs: number;
    fastestMs: number;
  }[];
}

/**
 * Bundle sizes and start-up of both workers: the median, over `times` fresh `workerd serve`
 * processes each, of the time from spawn to the first 200 of `GET /health`. The two workers
 * alternate, so machine noise hits both alike.
 */
export async function measureStartup(stand: Stand, times: number): Promise<StartupFigures> {
  const plans = [
    {
      name: "baseline" as const,
      built: stand.builds.baseline,
      vars: { UPSTREAM_BASE_URL: stand.upstream.groqBaseUrl },
    },
    { name: "ours" as const, built: stand.builds.ours, vars: ourVars(stand.upstream) },
  ];
  const samples = plans.map((): number[] => []);
  for (let round = 0; round < times; round++) {
    for (const [index, plan] of plans.entries()) {
      const served = await serveWorker(plan.built, { vars: plan.vars, configName: "startup.capnp" });
      samples[index]?.push(served.startupMs);
      await served.stop();
    }
  }
  return {
    rows: plans.map((plan, index) => {
      const list = samples[index] ?? [];
      return {
        name: plan.name,
        bytes: plan.built.bytes,
        gzipBytes: plan.built.gzipBytes,
        startupMs: median(list),
        fastestMs: Math.min(...list),
      };
    }),
  };
}

/** Ours ÷ the baseline, median start-up; the target is ≤ 1.5. */
export function startupRatio(figures: StartupFigures): number {
  const of = (name: "baseline" | "ours") =>
    figures.rows.find((row) => row.name === name)?.startupMs ?? Number.NaN;
  return of("ours") / of("baseline");
}
