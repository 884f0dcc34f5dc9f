/**
 * workerd CPU per request, ours against the bare Hono proxy: the figure throughput follows when the
 * worker is the bottleneck, and less sensitive than req/s to other work on a shared machine. Targets
 * are interleaved round by round (median of the rounds), so machine noise hits all of them alike.
 *
 *   npm run bench:cpu [-- --rounds 5 --requests 1000] [--against ../other-checkout/wrangler.toml]
 *
 * `--against` also builds and serves the worker of another checkout (say, the commit before a change)
 * under the same conditions, and adds its chat rows: an A/B comparison within one run.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runLoad, type Target } from "./lib/load.ts";
import { ourVars, type Stand, startStand } from "./lib/stand.ts";
import { median } from "./lib/stats.ts";
import { fixed, printTable, ratio } from "./lib/table.ts";
import { cacheTargets, chatTarget, openAITarget } from "./lib/targets.ts";
import { buildWorker, type ServedWorker, serveWorker } from "./lib/workerd.ts";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    requests: { type: "string", default: "1000" },
    against: { type: "string" },
  },
});
const rounds = Math.min(Number(values.rounds), 20);
const requests = Math.min(Number(values.requests), 20_000);
const BASELINE = "baseline (bare Hono proxy)";

async function main(stand: Stand, other: ServedWorker | undefined): Promise<void> {
  const ours = stand.ours.url;
  const workers = [stand.baseline, stand.ours, ...(other ? [other] : [])];
  const targets: Target[] = [
    chatTarget(BASELINE, stand.baseline.url),
    chatTarget('ours /chat metrics:"off"', ours, { metrics: "off" }),
    chatTarget("ours /chat local metrics", ours, { metrics: "sync" }),
    openAITarget("ours /v1 X-Metrics: off", ours, "off"),
    ...(await cacheTargets(ours)),
    ...(other
      ? [
          chatTarget('against: /chat metrics:"off"', other.url, { metrics: "off" }),
          chatTarget("against: /chat local metrics", other.url, { metrics: "sync" }),
          openAITarget("against: /v1 X-Metrics: off", other.url, "off"),
        ]
      : []),
  ];
  for (const target of targets) await runLoad(target, 16, { amount: 300 });
  const samples = new Map<string, number[]>(targets.map((target) => [target.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const target of targets) {
      const worker = workers.find((served) => served.url === target.url) ?? stand.ours;
      await target.refresh?.();
      const before = await worker.cpuMs();
      await runLoad(target, 16, { amount: requests });
      samples.get(target.name)?.push(((await worker.cpuMs()) - before) / requests);
    }
  }
  const base = median(samples.get(BASELINE) ?? []);
  printTable(
    ["target", "CPU ms/req", "min", "max", "base ÷ this (throughput bound)"],
    targets.map((target) => {
      const values = samples.get(target.name) ?? [];
      const mid = median(values);
      return [
        target.name,
        fixed(mid, 3),
        fixed(Math.min(...values), 3),
        fixed(Math.max(...values), 3),
        ratio(base, mid),
      ];
    }),
    `workerd CPU per request, c=16, median of ${rounds} interleaved rounds of ${requests} requests`,
  );
}

const stand = await startStand({ replyWords: 150 });
const workdir = await mkdtemp(join(tmpdir(), "neon-nexus-bench-against-"));
let other: ServedWorker | undefined;
try {
  if (values.against) {
    const built = await buildWorker(resolve(values.against), join(workdir, "against"));
    other = await serveWorker(built, { vars: ourVars(stand.upstream) });
  }
  await main(stand, other);
} finally {
  await other?.stop();
  await stand.stop();
  await rm(workdir, { recursive: true, force: true });
}
