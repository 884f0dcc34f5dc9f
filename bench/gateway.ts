import { cpus, loadavg, totalmem } from "node:os";
import { replyText } from "./fake-upstream.ts";
import { type LoadResult, runLoad, SequentialClient, type Target } from "./lib/load.ts";
import { ourVars, type Stand, startStand } from "./lib/stand.ts";
import { measureStartup, type StartupFigures, startupRatio } from "./lib/startup.ts";
import { median, spread } from "./lib/stats.ts";
import { delta, fixed, printTable, ratio } from "./lib/table.ts";
import { cacheTargets, chatTarget, directTarget, openAITarget, portkeyTarget } from "./lib/targets.ts";
import type { ServedWorker } from "./lib/workerd.ts";
import { startWranglerDev } from "./lib/wrangler-dev.ts";
import { PORTKEY, type ServedPortkey, startPortkey } from "./portkey/serve.ts";

/** How much a gateway run measures; `quick` takes about a minute and a half. */
export interface GatewayPlan {
  runs: number;
  secondsPerCell: number;
  latencyRequests: number;
  cpuRequests: number;
  startups: number;
  wranglerDevSeconds: number;
  deadlineMs: number;
}

export const GATEWAY_PLANS: Record<"quick" | "full", GatewayPlan> = {
  quick: {
    runs: 2,
    secondsPerCell: 1,
    latencyRequests: 300,
    cpuRequests: 1_000,
    startups: 3,
    wranglerDevSeconds: 2,
    deadlineMs: 150_000,
  },
  full: {
    runs: 3,
    secondsPerCell: 4,
    latencyRequests: 1_500,
    cpuRequests: 4_000,
    startups: 5,
    wranglerDevSeconds: 5,
    deadlineMs: 480_000,
  },
};

export const CONCURRENCY = [1, 16, 64] as const;
export const REPLY_WORDS = 150;
const BASELINE = "baseline (bare Hono proxy)";
const OURS_OFF = 'ours /chat metrics:"off"';
const OURS_SYNC = "ours /chat local metrics";
const OPENAI_OFF = "ours /v1/chat/completions X-Metrics: off";
const OPENAI_SYNC = "ours /v1/chat/completions local metrics";
/** The levels at which ours is held to ≥ 1.3× Portkey's gateway (throughput and CPU per request). */
const PORTKEY_LEVELS = [16, 64] as const;
const PORTKEY_TARGET = 1.3;

/** Load, latency, CPU time, bundle size and start-up of our worker against the bare proxy and Portkey. */
export async function runGatewayBench(plan: GatewayPlan): Promise<void> {
  const stopAt = Date.now() + plan.deadlineMs;
  console.log(
    `\n# Gateway: ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  );
  console.log(`load average at the start: ${loadAverage()} (${cpus().length} cores)`);
  console.log(
    `upstream: fake, instant, ${REPLY_WORDS}-word reply; ${plan.runs} interleaved runs of ${plan.secondsPerCell} s per cell`,
  );
  const stand = await startStand({ replyWords: REPLY_WORDS });
  let portkey: ServedPortkey | undefined;
  try {
    portkey = await startPortkey(stand.upstream.groqBaseUrl, replyText(REPLY_WORDS));
    const workers = [stand.baseline, stand.ours, portkey.worker];
    const targets = await gatewayTargets(stand, portkey);
    for (const target of targets) await runLoad(target, 16, { seconds: 0.5 });

    const throughput = await measureThroughput(targets, plan, stopAt);
    printThroughput(targets, throughput);
    const latency = await measureLatency(targets, plan.latencyRequests, stopAt);
    printLatency(targets, latency);
    const cpu = await measureCpu(targets, workers, plan.cpuRequests);
    printCpu(cpu);
    const streamed = await measureStreamedLoad(streamedTargets(stand, portkey), workers, plan);
    printStreamedLoad(streamed);
    const slow = await measureSlowUpstream(stand, plan);
    printSlowUpstream(slow);
    const startup = await measureStartup(stand, plan.startups);
    printStartup(startup, portkey);
    await measureWranglerDev(stand, plan.wranglerDevSeconds, stopAt);
    printTargets(throughput, latency, startup, slow, cpu);
    assertPortkeyAnswered(throughput, streamed);
  } finally {
    await portkey?.stop();
    await stand.stop();
    console.log(`load average at the end: ${loadAverage()}`);
  }
}

/** The machine's 1/5/15-minute load averages: above the core count, other work competed with the run. */
export function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(" / ");
}

async function gatewayTargets(stand: Stand, portkey: ServedPortkey): Promise<Target[]> {
  return [
    directTarget(stand.upstream.groqBaseUrl),
    chatTarget(BASELINE, stand.baseline.url),
    portkeyTarget(PORTKEY, portkey.worker.url, stand.upstream.groqBaseUrl),
    chatTarget(OURS_OFF, stand.ours.url, { metrics: "off" }),
    chatTarget(OURS_SYNC, stand.ours.url, { metrics: "sync" }),
    openAITarget(OPENAI_OFF, stand.ours.url, "off"),
    openAITarget(OPENAI_SYNC, stand.ours.url, "sync"),
    ...(await cacheTargets(stand.ours.url)),
  ];
}

type Throughput = Map<string, Map<number, LoadResult[]>>;

async function measureThroughput(targets: Target[], plan: GatewayPlan, stopAt: number): Promise<Throughput> {
  const results: Throughput = new Map(targets.map((target) => [target.name, new Map()]));
  for (let run = 0; run < plan.runs; run++) {
    for (const connections of CONCURRENCY) {
      const order = [...targets.slice(run % targets.length), ...targets.slice(0, run % targets.length)];
      for (const target of order) {
        if (Date.now() > stopAt) return results;
        const result = await runLoad(target, connections, { seconds: plan.secondsPerCell });
        const cells = results.get(target.name) as Map<number, LoadResult[]>;
        cells.set(connections, [...(cells.get(connections) ?? []), result]);
      }
    }
  }
  return results;
}

function medianRps(results: Throughput, name: string, connections: number): number {
  return median((results.get(name)?.get(connections) ?? []).map((result) => result.requestsPerSecond));
}

function printThroughput(targets: Target[], results: Throughput): void {
  const rows = targets.map((target) => {
    const cells = CONCURRENCY.flatMap((connections) => {
      const rps = medianRps(results, target.name, connections);
      return [
        fixed(rps),
        ratio(rps, medianRps(results, BASELINE, connections)),
        ratio(rps, medianRps(results, PORTKEY, connections)),
      ];
    });
    const all = [...(results.get(target.name)?.values() ?? [])].flat();
    const failures = all.reduce((sum, result) => sum + result.failures, 0);
    return [target.name, ...cells, String(failures)];
  });
  const headers = CONCURRENCY.flatMap((connections) => [`c=${connections} req/s`, "× base", "× Portkey"]);
  printTable(
    ["target", ...headers, "failed"],
    rows,
    "Throughput (median of runs; × base, × Portkey = ratio to the bare proxy, to Portkey's gateway in the same run)",
  );
}

type Latency = Map<string, number[]>;

async function measureLatency(targets: Target[], requests: number, stopAt: number): Promise<Latency> {
  const samples: Latency = new Map(targets.map((target) => [target.name, []]));
  const clients = targets.map((target) => new SequentialClient(target));
  const block = 50;
  try {
    for (let done = 0; done < requests && Date.now() < stopAt; done += block) {
      for (const [index, client] of clients.entries()) {
        await targets[index]?.refresh?.();
        const list = samples.get(targets[index]?.name ?? "") as number[];
        for (let count = 0; count < block; count++) list.push(await client.once());
      }
    }
  } finally {
    for (const client of clients) client.close();
  }
  return samples;
}

function printLatency(targets: Target[], samples: Latency): void {
  const base = spread(samples.get(BASELINE) ?? []);
  const rows = targets.map((target) => {
    const figures = spread(samples.get(target.name) ?? []);
    return [
      target.name,
      fixed(figures.p50, 3),
      fixed(figures.p90, 3),
      fixed(figures.p99, 3),
      delta(figures.p50, base.p50, 3),
    ];
  });
  printTable(
    ["target", "p50 ms", "p90 ms", "p99 ms", "p50 vs base"],
    rows,
    "Latency at c=1 (one keep-alive connection, send to last byte)",
  );
}

/** CPU ms per request by target name, then by concurrency. */
type Cpu = Map<string, Map<number, number>>;

/** Each worker target at c=16 then c=64 (targets in turn): its workerd process's CPU per request. */
async function measureCpu(targets: Target[], workers: ServedWorker[], requests: number): Promise<Cpu> {
  const cpu: Cpu = new Map();
  for (const connections of PORTKEY_LEVELS) {
    for (const target of targets) {
      const worker = workers.find((served) => served.url === target.url);
      if (!worker) continue;
      await target.refresh?.();
      const before = await worker.cpuMs();
      const result = await runLoad(target, connections, { amount: requests });
      const perRequest = ((await worker.cpuMs()) - before) / Math.max(1, result.requests);
      cpu.set(target.name, (cpu.get(target.name) ?? new Map()).set(connections, perRequest));
    }
  }
  return cpu;
}

const cpuOf = (cpu: Cpu, name: string, connections: number) => cpu.get(name)?.get(connections) ?? Number.NaN;

function printCpu(cpu: Cpu): void {
  const rows = [...cpu.keys()].map((name) => [
    name,
    ...PORTKEY_LEVELS.flatMap((connections) => {
      const ms = cpuOf(cpu, name, connections);
      return [
        fixed(ms, 3),
        delta(ms, cpuOf(cpu, BASELINE, connections), 3),
        ratio(cpuOf(cpu, PORTKEY, connections), ms),
      ];
    }),
  ]);
  printTable(
    ["target", ...PORTKEY_LEVELS.flatMap((c) => [`c=${c} CPU ms/req`, "vs base", "× Portkey"])],
    rows,
    "workerd process CPU per request (all threads, /proc schedstat; includes workerd's own HTTP work; " +
      "× Portkey = Portkey's CPU ÷ this, the throughput it bounds)",
  );
}

const STREAMED_BASELINE = "baseline, streamed";
const STREAMED_PORTKEY = "Portkey gateway, streamed";

/** The same chats streamed: the bare proxy, ours (both surfaces) and Portkey's gateway. */
function streamedTargets(stand: Stand, portkey: ServedPortkey): Target[] {
  const stream = { stream: true };
  return [
    chatTarget(STREAMED_BASELINE, stand.baseline.url, stream),
    portkeyTarget(STREAMED_PORTKEY, portkey.worker.url, stand.upstream.groqBaseUrl, stream),
    chatTarget('ours /chat metrics:"off", streamed', stand.ours.url, { ...stream, metrics: "off" }),
    chatTarget("ours /chat local metrics, streamed", stand.ours.url, { ...stream, metrics: "sync" }),
    openAITarget("ours /v1 X-Metrics: off, streamed", stand.ours.url, "off", stream),
  ];
}

interface StreamedCell {
  requestsPerSecond: number;
  cpuMsPerRequest: number;
  failures: number;
}

/** Cells by target name, then by concurrency: one per run. */
type StreamedLoad = Map<string, Map<number, StreamedCell[]>>;

/**
 * Streamed chats at c=16 and c=64, the targets' order rotating from run to run: the throughput of
 * each cell and the CPU its worker spent per request during it. Cells last half the plan's, to keep
 * the suite within its time.
 */
async function measureStreamedLoad(
  targets: Target[],
  workers: ServedWorker[],
  plan: GatewayPlan,
): Promise<StreamedLoad> {
  const cells: StreamedLoad = new Map(targets.map((target) => [target.name, new Map()]));
  for (const target of targets) await runLoad(target, 16, { seconds: 0.5 });
  for (let run = 0; run < plan.runs; run++) {
    for (const connections of PORTKEY_LEVELS) {
      const order = [...targets.slice(run % targets.length), ...targets.slice(0, run % targets.length)];
      for (const target of order) {
        const worker = workers.find((served) => served.url === target.url) as ServedWorker;
        const before = await worker.cpuMs();
        const result = await runLoad(target, connections, { seconds: Math.max(1, plan.secondsPerCell / 2) });
        const cell = {
          requestsPerSecond: result.requestsPerSecond,
          cpuMsPerRequest: ((await worker.cpuMs()) - before) / Math.max(1, result.requests),
          failures: result.failures,
        };
        const byLevel = cells.get(target.name) as Map<number, StreamedCell[]>;
        byLevel.set(connections, [...(byLevel.get(connections) ?? []), cell]);
      }
    }
  }
  return cells;
}

function printStreamedLoad(cells: StreamedLoad): void {
  const mid = (name: string, connections: number, field: "requestsPerSecond" | "cpuMsPerRequest") =>
    median((cells.get(name)?.get(connections) ?? []).map((cell) => cell[field]));
  const rows = [...cells.keys()].map((name) => {
    const all = [...(cells.get(name)?.values() ?? [])].flat();
    return [
      name,
      ...PORTKEY_LEVELS.flatMap((c) => {
        const rps = mid(name, c, "requestsPerSecond");
        const ms = mid(name, c, "cpuMsPerRequest");
        return [
          fixed(rps),
          ratio(rps, mid(STREAMED_BASELINE, c, "requestsPerSecond")),
          ratio(rps, mid(STREAMED_PORTKEY, c, "requestsPerSecond")),
          fixed(ms, 3),
          ratio(mid(STREAMED_PORTKEY, c, "cpuMsPerRequest"), ms),
        ];
      }),
      String(all.reduce((sum, cell) => sum + cell.failures, 0)),
    ];
  });
  printTable(
    [
      "target",
      ...PORTKEY_LEVELS.flatMap((c) => [`c=${c} req/s`, "× base", "× Portkey", "CPU ms/req", "× Portkey"]),
      "failed",
    ],
    rows,
    "Streamed chats (median of runs; CPU × Portkey = Portkey's CPU per request ÷ this)",
  );
}

/** A Portkey row with failed requests measured its errors, not its gateway: the run does not count. */
function assertPortkeyAnswered(throughput: Throughput, streamed: StreamedLoad): void {
  const failures = [
    ...[...(throughput.get(PORTKEY)?.values() ?? [])].flat(),
    ...[...(streamed.get(STREAMED_PORTKEY)?.values() ?? [])].flat(),
  ].reduce((sum, cell) => sum + cell.failures, 0);
  if (failures > 0) throw new Error(`Portkey's gateway failed ${failures} requests under load`);
}

/** The upstream's answer time in the slow-upstream scenario, and the concurrency it runs at. */
const SLOW_UPSTREAM_MS = 100;
const SLOW_CONCURRENCY = 64;

interface SlowUpstream {
  direct: number;
  ours: number;
}

/**
 * c=64 against an upstream that takes 100 ms to answer: at most 640 chats/s can pass, whatever the
 * gateway. How close ours (local metrics) comes to what the upstream alone serves, median of runs.
 */
async function measureSlowUpstream(stand: Stand, plan: GatewayPlan): Promise<SlowUpstream> {
  const model = `openai/gpt-oss-20b;latency=${SLOW_UPSTREAM_MS}`;
  const direct = directTarget(stand.upstream.groqBaseUrl, { model });
  const ours = chatTarget(OURS_SYNC, stand.ours.url, { metrics: "sync", provider: "groq", model });
  const rates = { direct: [] as number[], ours: [] as number[] };
  for (let run = 0; run < plan.runs; run++) {
    const seconds = Math.max(2, plan.secondsPerCell);
    rates.direct.push((await runLoad(direct, SLOW_CONCURRENCY, { seconds })).requestsPerSecond);
    rates.ours.push((await runLoad(ours, SLOW_CONCURRENCY, { seconds })).requestsPerSecond);
  }
  return { direct: median(rates.direct), ours: median(rates.ours) };
}

function printSlowUpstream(slow: SlowUpstream): void {
  printTable(
    ["target", `c=${SLOW_CONCURRENCY} req/s`, "× upstream alone"],
    [
      ["upstream direct", fixed(slow.direct), "1.00×"],
      [OURS_SYNC, fixed(slow.ours), ratio(slow.ours, slow.direct)],
    ],
    `Upstream answering in ${SLOW_UPSTREAM_MS} ms, c=${SLOW_CONCURRENCY} (at most ${(SLOW_CONCURRENCY * 1000) / SLOW_UPSTREAM_MS} req/s can pass)`,
  );
}

function printStartup(figures: StartupFigures, portkey: ServedPortkey): void {
  printTable(
    ["worker", "bundle KiB", "gzip KiB", "spawn → first 200 ms (median)"],
    [
      ...figures.rows.map((row) => [
        row.name,
        fixed(row.bytes / 1024, 1),
        fixed(row.gzipBytes / 1024, 1),
        fixed(row.startupMs, 0),
      ]),
      [
        "Portkey (esbuild, one start)",
        fixed(portkey.built.bytes / 1024, 1),
        fixed(portkey.built.gzipBytes / 1024, 1),
        fixed(portkey.worker.startupMs, 0),
      ],
    ],
    "Bundle and start-up (`wrangler deploy --dry-run` output; fresh `workerd serve` each time)",
  );
}

async function measureWranglerDev(stand: Stand, seconds: number, stopAt: number): Promise<void> {
  if (Date.now() > stopAt) return;
  const dev = await startWranglerDev("wrangler.toml", ourVars(stand.upstream)).catch((error: unknown) => {
    console.log(`\nwrangler dev reference row skipped: ${String(error).slice(0, 300)}`);
    return undefined;
  });
  if (!dev) return;
  try {
    const target = chatTarget("ours under wrangler dev", dev.url, { metrics: "off" });
    await runLoad(target, 16, { seconds: 0.5 });
    const result = await runLoad(target, 16, { seconds });
    printTable(
      ["target", "c=16 req/s", "p50 ms", "failed"],
      [[target.name, fixed(result.requestsPerSecond), String(result.p50Ms), String(result.failures)]],
      "Reference: the same /chat through `wrangler dev` (its proxy caps throughput; not comparable)",
    );
  } finally {
    await dev.stop();
  }
}

function printTargets(
  throughput: Throughput,
  latency: Latency,
  startup: StartupFigures,
  slow: SlowUpstream,
  cpu: Cpu,
): void {
  const base = (connections: number) => medianRps(throughput, BASELINE, connections);
  const share = (name: string, connections: number) =>
    medianRps(throughput, name, connections) / base(connections);
  const addedP50 = spread(latency.get(OURS_OFF) ?? []).p50 - spread(latency.get(BASELINE) ?? []).p50;
  const oursGzip = startup.rows.find((row) => row.name === "ours")?.gzipBytes ?? Number.NaN;
  const startupTimes = startupRatio(startup);
  const checks: [string, string, boolean][] = [
    ...[16, 64].map((c): [string, string, boolean] => [
      `metrics:"off" c=${c} ≥ 0.80× base`,
      `${share(OURS_OFF, c).toFixed(2)}×`,
      share(OURS_OFF, c) >= 0.8,
    ]),
    [`metrics:"off" p50 added ≤ 0.50 ms`, `${addedP50.toFixed(3)} ms`, addedP50 <= 0.5],
    ...[16, 64].map((c): [string, string, boolean] => [
      `local metrics c=${c} ≥ 0.60× base`,
      `${share(OURS_SYNC, c).toFixed(2)}×`,
      share(OURS_SYNC, c) >= 0.6,
    ]),
    ...[16, 64].map((c): [string, string, boolean] => [
      `/v1 metrics off c=${c} ≥ 0.95× /chat metrics:"off"`,
      `${(share(OPENAI_OFF, c) / share(OURS_OFF, c)).toFixed(2)}×`,
      share(OPENAI_OFF, c) >= 0.95 * share(OURS_OFF, c),
    ]),
    [
      `local metrics, ${SLOW_UPSTREAM_MS} ms upstream, c=${SLOW_CONCURRENCY} ≥ 0.90× upstream alone`,
      `${(slow.ours / slow.direct).toFixed(2)}×`,
      slow.ours >= 0.9 * slow.direct,
    ],
    ["bundle < 200 KiB gzip", `${(oursGzip / 1024).toFixed(1)} KiB`, oursGzip < 200 * 1024],
    ["start-up ≤ 1.5× base", `${startupTimes.toFixed(2)}×`, startupTimes <= 1.5],
    ...[OURS_OFF, OURS_SYNC].flatMap((name) =>
      PORTKEY_LEVELS.flatMap((c): [string, string, boolean][] => {
        const rps = medianRps(throughput, name, c) / medianRps(throughput, PORTKEY, c);
        const cpuShare = cpuOf(cpu, PORTKEY, c) / cpuOf(cpu, name, c);
        return [
          [`${name} c=${c} req/s ≥ ${PORTKEY_TARGET}× Portkey`, `${rps.toFixed(2)}×`, rps >= PORTKEY_TARGET],
          [
            `${name} c=${c} CPU/req ≤ Portkey's ÷ ${PORTKEY_TARGET}`,
            `${cpuShare.toFixed(2)}×`,
            cpuShare >= PORTKEY_TARGET,
          ],
        ];
      }),
    ),
  ];
  printTable(
    ["target", "measured", "met"],
    checks.map(([name, value, met]) => [name, value, met ? "yes" : "NO"]),
    "Targets",
  );
}

if (import.meta.main) {
  const plan = process.argv.includes("--quick") ? GATEWAY_PLANS.quick : GATEWAY_PLANS.full;
  await runGatewayBench(plan);
}
