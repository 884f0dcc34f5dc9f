/**
 * Start-up of our worker against the bare proxy: spawn of `workerd serve` → first 200 of
 * `GET /health`, fresh processes alternating between the two so machine noise hits both alike.
 * Target: ours ≤ 1.5× the baseline's (median).
 *
 *   npm run bench:startup [-- --times 9]
 */
import { parseArgs } from "node:util";
import { ourVars, startStand } from "./lib/stand.ts";
import { median } from "./lib/stats.ts";
import { fixed, printTable } from "./lib/table.ts";
import { serveWorker } from "./lib/workerd.ts";

const { values } = parseArgs({ options: { times: { type: "string", default: "9" } } });
const times = Math.min(Math.max(1, Number(values.times)), 50);

const stand = await startStand({ replyWords: 150 });
try {
  const plans = [
    {
      name: "baseline (bare Hono proxy)",
      built: stand.builds.baseline,
      vars: { UPSTREAM_BASE_URL: stand.upstream.groqBaseUrl },
    },
    { name: "ours", built: stand.builds.ours, vars: ourVars(stand.upstream) },
  ];
  const samples = plans.map(() => [] as number[]);
  for (let round = 0; round < times; round += 1) {
    for (const [index, plan] of plans.entries()) {
      const served = await serveWorker(plan.built, { vars: plan.vars, configName: "startup.capnp" });
      samples[index]?.push(served.startupMs);
      await served.stop();
    }
  }
  const base = median(samples[0] ?? []);
  printTable(
    ["worker", "gzip KiB", "start-up ms (median)", "min", "× base"],
    plans.map((plan, index) => {
      const list = samples[index] ?? [];
      return [
        plan.name,
        fixed(plan.built.gzipBytes / 1024, 1),
        fixed(median(list), 0),
        fixed(Math.min(...list), 0),
        `${(median(list) / base).toFixed(2)}×`,
      ];
    }),
    `Start-up: spawn of workerd serve → first 200 of GET /health, ${times} fresh processes each, alternating`,
  );
  const ratio = median(samples[1] ?? []) / base;
  console.log(
    `target: start-up ≤ 1.5× the bare proxy's: ${ratio.toFixed(2)}× → ${ratio <= 1.5 ? "met" : "NOT met"}`,
  );
} finally {
  await stand.stop();
}
