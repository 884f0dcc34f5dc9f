/**
 * `npm run bench:usage`: workerd CPU per chat with usage accounting and tracing, against the same
 * worker before they existed, in one run (targets interleaved round by round, median of rounds):
 *
 *   - before: the worker at `--base` (default: where this branch left main), built from `git archive`
 *   - ours: accounting on (in-isolate counters: no Redis in the benchmark), Server-Timing, no trace kept
 *   - ours + OTLP: the same with traces, exported (batched) to a local collector that discards them
 *   - ours + budget: an API key with a KEY_BUDGETS entry, so each chat also passes the budget check
 *     (compared with `before` called with the same API key, as key checking costs both alike)
 *   - before + OTLP (with `--base-traces`, when `--base` exports traces too): the same comparison for
 *     the base, so a change to tracing is measured against the tracing it replaces in one run
 *
 * Target (issue 25): at most +0.05 ms of CPU per chat over `before`.
 *
 *   npm run bench:usage [-- --rounds 5 --requests 1000 --base <git rev> --base-traces]
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { spawnFakeUpstream } from "./fake-upstream.ts";
import { runLoad, type Target } from "./lib/load.ts";
import { ourVars } from "./lib/stand.ts";
import { median } from "./lib/stats.ts";
import { fixed, printTable } from "./lib/table.ts";
import { chatTarget } from "./lib/targets.ts";
import { buildWorker, REPO_ROOT, type ServedWorker, serveWorker } from "./lib/workerd.ts";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    requests: { type: "string", default: "1000" },
    base: { type: "string" },
    "base-traces": { type: "boolean", default: false },
  },
});
const rounds = Math.min(Number(values.rounds), 20);
const requests = Math.min(Number(values.requests), 20_000);
const git = (...args: string[]) => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
const base = values.base ?? git("merge-base", "HEAD", "main");
const KEY = "bench-usage-key-0123456789";

/** A collector that answers every export with 200 and forgets it. */
async function startSink() {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const workdir = await mkdtemp(join(tmpdir(), "neon-nexus-bench-usage-"));
const upstream = await spawnFakeUpstream({ replyWords: 150 });
const sink = await startSink();
const served: ServedWorker[] = [];
try {
  const before = join(workdir, "before");
  await mkdir(before);
  execFileSync("sh", ["-c", `git archive ${base} | tar -x -C ${before}`], { cwd: REPO_ROOT });
  await symlink(join(REPO_ROOT, "node_modules"), join(before, "node_modules"));
  const [beforeBuild, ourBuild] = await Promise.all([
    buildWorker(join(before, "wrangler.toml"), join(workdir, "before-out")),
    buildWorker("wrangler.toml", join(workdir, "ours-out")),
  ]);
  const serve = async (build: typeof ourBuild, extra: Record<string, string>, configName: string) => {
    const worker = await serveWorker(build, { vars: ourVars(upstream, extra), configName });
    served.push(worker);
    return worker;
  };
  const keyed = { AUTH_DISABLED: "false", API_KEYS: `bench:${KEY}` };
  const workers = {
    before: await serve(beforeBuild, {}, "before.capnp"),
    beforeKeyed: await serve(beforeBuild, keyed, "before-keyed.capnp"),
    beforeOtlp: values["base-traces"]
      ? await serve(beforeBuild, { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url }, "before-otlp.capnp")
      : undefined,
    ours: await serve(ourBuild, {}, "ours.capnp"),
    otlp: await serve(ourBuild, { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url }, "otlp.capnp"),
    budget: await serve(
      ourBuild,
      {
        ...keyed,
        KEY_BUDGETS: JSON.stringify({ bench: { usdPerDay: 1_000_000, tokensPerDay: 1_000_000_000 } }),
      },
      "budget.capnp",
    ),
  };
  const targets: Array<Target & { worker: ServedWorker }> = [
    {
      ...chatTarget(`before (${base.slice(0, 7)})`, workers.before.url, { metrics: "off" }),
      worker: workers.before,
    },
    ...(workers.beforeOtlp
      ? [
          {
            ...chatTarget("before + OTLP export", workers.beforeOtlp.url, { metrics: "off" }),
            worker: workers.beforeOtlp,
          },
        ]
      : []),
    {
      ...chatTarget("ours: accounting, no OTLP endpoint", workers.ours.url, { metrics: "off" }),
      worker: workers.ours,
    },
    { ...chatTarget("ours + OTLP export", workers.otlp.url, { metrics: "off" }), worker: workers.otlp },
    {
      ...chatTarget("before, with an API key", workers.beforeKeyed.url, { metrics: "off" }),
      headers: { authorization: `Bearer ${KEY}` },
      worker: workers.beforeKeyed,
    },
    {
      ...chatTarget("ours + budget check, with an API key", workers.budget.url, { metrics: "off" }),
      headers: { authorization: `Bearer ${KEY}` },
      worker: workers.budget,
    },
  ];
  for (const target of targets) {
    const warm = await runLoad(target, 16, { amount: 300 });
    if (warm.failures > 0)
      throw new Error(`${target.name}: ${warm.failures} failed requests while warming up`);
  }
  const samples = new Map<string, number[]>(targets.map((target) => [target.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const target of targets) {
      const cpuBefore = await target.worker.cpuMs();
      await runLoad(target, 16, { amount: requests });
      samples.get(target.name)?.push(((await target.worker.cpuMs()) - cpuBefore) / requests);
    }
  }
  const medianOf = (index: number) => median(samples.get(targets[index]?.name ?? "") ?? []);
  const keyedBefore = targets.findIndex((target) => target.worker === workers.beforeKeyed);
  /** Each of ours against its `before`: the plain one, or the one called with an API key. */
  const referenceOf = (target: Target) => (target.headers ? medianOf(keyedBefore) : medianOf(0));
  printTable(
    ["target", "CPU ms/chat", "min", "max", "vs before (target ≤ +0.050)"],
    targets.map((target) => {
      const list = samples.get(target.name) ?? [];
      const mid = median(list);
      const delta = mid - referenceOf(target);
      const isBefore = target.worker === workers.before || target.worker === workers.beforeKeyed;
      return [
        target.name,
        fixed(mid, 3),
        fixed(Math.min(...list), 3),
        fixed(Math.max(...list), 3),
        isBefore ? "" : `${delta >= 0 ? "+" : ""}${fixed(delta, 3)}`,
      ];
    }),
    `workerd CPU per /chat (metrics off), c=16, median of ${rounds} interleaved rounds of ${requests} requests`,
  );
  /** A worker with trace export against the same build without: each round's difference, then their median. */
  const exportCost = (name: string, withOtlp: ServedWorker | undefined, without: ServedWorker) => {
    const of = (worker: ServedWorker) =>
      samples.get(targets.find((t) => t.worker === worker)?.name ?? "") ?? [];
    const plain = of(without);
    const deltas = withOtlp ? of(withOtlp).map((value, round) => value - (plain[round] ?? Number.NaN)) : [];
    return deltas.length === 0
      ? []
      : [[name, fixed(median(deltas), 3), fixed(Math.min(...deltas), 3), fixed(Math.max(...deltas), 3)]];
  };
  printTable(
    ["build", "ms/chat (median of rounds)", "min", "max"],
    [
      ...exportCost("ours", workers.otlp, workers.ours),
      ...exportCost(`before (${base.slice(0, 7)})`, workers.beforeOtlp, workers.before),
    ],
    "Trace export per chat: with OTLP − without, round by round",
  );
} finally {
  await Promise.allSettled(served.map((worker) => worker.stop()));
  await Promise.allSettled([upstream.close(), sink.close()]);
  await rm(workdir, { recursive: true, force: true });
}
