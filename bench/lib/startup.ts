import { ourVars, type Stand } from "./stand.ts";
import { median } from "./stats.ts";
import { serveWorker } from "./workerd.ts";

export interface StartupFigures {
  rows: { name: "baseline" | "ours"; bytes: number; gzipBytes: number; startupMs: number }[];
}

/**
 * Bundle sizes and start-up of both workers: the median, over `times` fresh `workerd serve`
 * processes, of the time from spawn to the first 200 of `GET /health`.
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
  const rows: StartupFigures["rows"] = [];
  for (const plan of plans) {
    const samples: number[] = [];
    for (let attempt = 0; attempt < times; attempt++) {
      const served = await serveWorker(plan.built, { vars: plan.vars, configName: "startup.capnp" });
      samples.push(served.startupMs);
      await served.stop();
    }
    rows.push({
      name: plan.name,
      bytes: plan.built.bytes,
      gzipBytes: plan.built.gzipBytes,
      startupMs: median(samples),
    });
  }
  return { rows };
}
