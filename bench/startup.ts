/**
 * Start-up of our worker against the bare proxy: fresh `workerd serve` processes, each timed from
 * spawn to its socket listening (module loaded) and then through its first request, `GET /health`
 * or a `POST /chat` as a user sends it (local metrics, the default). Workers and first requests
 * alternate, so machine noise hits every cell alike; medians.
 * Target: start-up (spawn → first 200 of `GET /health`) ≤ 1.5× the baseline's. The CPU time the
 * process used until then is printed beside it: a busy machine changes it far less than wall time.
 *
 * `--against` also builds and cold-starts the worker of another checkout (say, the commit before a
 * change), so before and after are compared inside one run.
 *
 *   npm run bench:startup [-- --times 9] [--against ../other-checkout/wrangler.toml]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startStand } from "./lib/stand.ts";
import { type ColdStartRow, measureColdStarts, standPlans } from "./lib/startup.ts";
import { fixed, printTable, ratio } from "./lib/table.ts";
import { buildWorker } from "./lib/workerd.ts";

const { values } = parseArgs({
  options: { times: { type: "string", default: "9" }, against: { type: "string" } },
});
const times = Math.min(Math.max(1, Number(values.times)), 50);

const stand = await startStand({ replyWords: 150 });
const workdir = await mkdtemp(join(tmpdir(), "neon-nexus-bench-startup-"));
try {
  const plans = standPlans(stand);
  const ours = plans[1];
  if (values.against && ours) {
    const built = await buildWorker(resolve(values.against), join(workdir, "against"));
    plans.push({ name: "against", built, vars: ours.vars });
  }
  const rows = await measureColdStarts(plans, times);
  const baselineOf = (row: ColdStartRow) =>
    rows.find((other) => other.name === "baseline" && other.request === row.request) ?? row;
  printTable(
    [
      "worker · first request",
      "gzip KiB",
      "load ms",
      "first request ms",
      "total ms",
      "total ÷ baseline",
      "fastest ms",
      "CPU ms",
      "CPU ÷ baseline",
    ],
    rows.map((row) => [
      `${row.name} · ${row.request}`,
      fixed((plans.find((plan) => plan.name === row.name)?.built.gzipBytes ?? 0) / 1024, 1),
      fixed(row.loadMs, 1),
      fixed(row.firstRequestMs, 1),
      fixed(row.totalMs, 1),
      ratio(row.totalMs, baselineOf(row).totalMs),
      fixed(row.fastestMs, 1),
      fixed(row.cpuMs, 1),
      ratio(row.cpuMs, baselineOf(row).cpuMs),
    ]),
    `Cold start: spawn of workerd serve → listening (load) → first request's 200 (total), and the process's CPU time until then; ${times} fresh processes per cell, alternating, medians`,
  );
  const health = (name: string) => rows.find((row) => row.name === name && row.request === "GET /health");
  const startup = (health("ours")?.totalMs ?? Number.NaN) / (health("baseline")?.totalMs ?? Number.NaN);
  const startupCpu = (health("ours")?.cpuMs ?? Number.NaN) / (health("baseline")?.cpuMs ?? Number.NaN);
  console.log(
    `target: start-up (spawn → first 200 of GET /health) ≤ 1.5× the bare proxy's: ${startup.toFixed(2)}× wall, ${startupCpu.toFixed(2)}× CPU → ${startup <= 1.5 ? "met" : "NOT met"}`,
  );
} finally {
  await rm(workdir, { recursive: true, force: true });
  await stand.stop();
}
