/**
 * workerd CPU per request, ours against the bare Hono proxy: the figure throughput follows when the
 * worker is the bottleneck, and less sensitive than req/s to other work on a shared machine. Targets
 * are interleaved round by round (median of the rounds), so machine noise hits all of them alike.
 *
 *   npm run bench:cpu [-- --rounds 5 --requests 1000] [--against ../other-checkout/wrangler.toml]
 *   npm run bench:cpu -- --concurrency 1,16,64 [--paths chat]
 *
 * `--against` also builds and serves the worker of another checkout (say, the commit before a change)
 * under the same conditions, and adds its chat rows: an A/B comparison within one run.
 *
 * `--concurrency` with more than one level prints CPU per request at each level side by side (every
 * round runs every target at every level, so the levels are interleaved too) and each level's figure
 * over the first's: a cost that grows with the requests in flight shows as a ratio above 1.
 * `--paths chat` keeps only the chat rows (baseline, ours off and local metrics, and `--against`'s).
 * `--paths v1` keeps `/chat` `metrics:"off"` and `/v1` `X-Metrics: off` (ours and `--against`'s) and
 * prints `/v1` over `/chat`, taken round by round (each round's pair ran back to back) and then the median.
 * `--redis` also serves our worker with its cache, rate limits and audit trail on a real
 * redis-server behind the REST bridge (the production shape) and adds its chat rows (with
 * `--against`, the other checkout's too), and a table of the REST calls (subrequests) per chat.
 * `--gc` serves every worker with V8's `--trace-gc-nvp` and adds a table of their garbage
 * collection per request and level.
 * `--portkey` also builds and serves Portkey's gateway (`bench/portkey/`), adds its row (the same
 * OpenAI chat completion, routed to the fake upstream) and each row's CPU over Portkey's.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { replyText } from "./fake-upstream.ts";
import { addGcTallies, emptyGcTally, GC_TRACE_FLAGS, type GcTally, gcTracer } from "./lib/gc-trace.ts";
import { runLoad, type Target } from "./lib/load.ts";
import { type RedisStand, startRedisStand } from "./lib/redis-stand.ts";
import { ourVars, type Stand, startStand } from "./lib/stand.ts";
import { median } from "./lib/stats.ts";
import { fixed, printTable, ratio } from "./lib/table.ts";
import { cacheTargets, chatTarget, openAITarget, portkeyTarget } from "./lib/targets.ts";
import { buildWorker, type ServedWorker, serveWorker } from "./lib/workerd.ts";
import { PORTKEY, type ServedPortkey, startPortkey } from "./portkey/serve.ts";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    requests: { type: "string", default: "1000" },
    against: { type: "string" },
    concurrency: { type: "string", default: "16" },
    paths: { type: "string", default: "all" },
    gc: { type: "boolean", default: false },
    redis: { type: "boolean", default: false },
    portkey: { type: "boolean", default: false },
  },
});
const rounds = Math.min(Number(values.rounds), 20);
const requests = Math.min(Number(values.requests), 20_000);
const levels = values.concurrency
  .split(",")
  .map((level) => Math.min(Math.max(1, Number(level)), 256))
  .filter((level) => Number.isInteger(level));
if (levels.length === 0) throw new Error("--concurrency takes a list such as 1,16,64");
const chatOnly = values.paths === "chat";
const v1Only = values.paths === "v1";
const BASELINE = "baseline (bare Hono proxy)";

interface RedisWorkers {
  stand: RedisStand;
  ours: ServedWorker;
  /** `--against`'s worker on the same Redis. */
  other: ServedWorker | undefined;
}

async function main(
  stand: Stand,
  other: ServedWorker | undefined,
  redis: RedisWorkers | undefined,
  portkey: ServedPortkey | undefined,
): Promise<void> {
  const ours = stand.ours.url;
  const withRedis = redis?.ours;
  const otherWithRedis = redis?.other;
  const workers = [stand.baseline, stand.ours, other, withRedis, otherWithRedis, portkey?.worker].filter(
    (worker): worker is ServedWorker => worker !== undefined,
  );
  const targets: Target[] = v1Only
    ? v1Targets(ours, other?.url)
    : [
        chatTarget(BASELINE, stand.baseline.url),
        ...(portkey ? [portkeyTarget(PORTKEY, portkey.worker.url, stand.upstream.groqBaseUrl)] : []),
        chatTarget('ours /chat metrics:"off"', ours, { metrics: "off" }),
        chatTarget("ours /chat local metrics", ours, { metrics: "sync" }),
        ...(chatOnly
          ? []
          : [openAITarget("ours /v1 X-Metrics: off", ours, "off"), ...(await cacheTargets(ours))]),
        ...(other
          ? [
              chatTarget('against: /chat metrics:"off"', other.url, { metrics: "off" }),
              chatTarget("against: /chat local metrics", other.url, { metrics: "sync" }),
              ...(chatOnly ? [] : [openAITarget("against: /v1 X-Metrics: off", other.url, "off")]),
            ]
          : []),
        ...(withRedis
          ? [
              chatTarget('ours + Redis: /chat metrics:"off"', withRedis.url, { metrics: "off" }),
              chatTarget("ours + Redis: /chat local metrics", withRedis.url, { metrics: "sync" }),
            ]
          : []),
        ...(otherWithRedis
          ? [
              chatTarget('against + Redis: /chat metrics:"off"', otherWithRedis.url, { metrics: "off" }),
              chatTarget("against + Redis: /chat local metrics", otherWithRedis.url, { metrics: "sync" }),
            ]
          : []),
      ];
  const onRedis = (target: Target) => target.url === withRedis?.url || target.url === otherWithRedis?.url;
  const restCalls = new Map<
    string,
    { requests: number; pipelines: number; commands: number; chats: number }
  >();
  const key = (target: Target, level: number) => `${target.name}@${level}`;
  for (const target of targets) await runLoad(target, 16, { amount: 300 });
  const samples = new Map<string, number[]>();
  const collections = new Map<string, GcTally & { requests: number }>();
  for (let round = 0; round < rounds; round += 1) {
    for (const level of levels) {
      for (const target of targets) {
        const worker = workers.find((served) => served.url === target.url) ?? stand.ours;
        await target.refresh?.();
        const before = await worker.cpuMs();
        const tracer =
          target.url === portkey?.worker.url
            ? portkeyTracer
            : target.url === other?.url
              ? otherTracer
              : target.url === otherWithRedis?.url
                ? otherRedisTracer
                : target.url === withRedis?.url
                  ? redisTracer
                  : target.url === stand.baseline.url
                    ? baseTracer
                    : ourTracer;
        tracer.take();
        const bridgeBefore = onRedis(target) ? await redis?.stand.stats() : undefined;
        const result = await runLoad(target, level, { amount: requests });
        if (bridgeBefore && redis) {
          const after = await redis.stand.stats();
          const sum = restCalls.get(key(target, level)) ?? {
            requests: 0,
            pipelines: 0,
            commands: 0,
            chats: 0,
          };
          restCalls.set(key(target, level), {
            requests: sum.requests + after.requests - bridgeBefore.requests,
            pipelines: sum.pipelines + after.pipelines - bridgeBefore.pipelines,
            commands: sum.commands + after.commands - bridgeBefore.commands,
            chats: sum.chats + result.requests,
          });
        }
        const perRequest = ((await worker.cpuMs()) - before) / Math.max(1, result.requests);
        if (result.failures > 0 && target.name === PORTKEY)
          throw new Error(`${PORTKEY} at c=${level}: ${result.failures} failed requests`);
        if (result.failures > 0)
          console.warn(`${target.name} at c=${level}: ${result.failures} failed requests`);
        samples.set(key(target, level), [...(samples.get(key(target, level)) ?? []), perRequest]);
        const tally = tracer.take();
        const sum = collections.get(key(target, level)) ?? { ...emptyGcTally(), requests: 0 };
        collections.set(key(target, level), {
          ...addGcTallies(sum, tally),
          requests: sum.requests + result.requests,
        });
      }
    }
  }
  const mid = (target: Target, level: number) => median(samples.get(key(target, level)) ?? []);
  const portkeyMid = (level: number) => median(samples.get(`${PORTKEY}@${level}`) ?? []);
  const overPortkey = (target: Target, level: number) =>
    portkey ? [ratio(portkeyMid(level), mid(target, level))] : [];
  const [first = 16] = levels;
  if (levels.length === 1) {
    const base = median(samples.get(`${BASELINE}@${first}`) ?? []);
    printTable(
      [
        "target",
        "CPU ms/req",
        "min",
        "max",
        "base ÷ this (throughput bound)",
        ...(portkey ? ["Portkey ÷ this"] : []),
      ],
      targets.map((target) => {
        const values = samples.get(key(target, first)) ?? [];
        return [
          target.name,
          fixed(mid(target, first), 3),
          fixed(Math.min(...values), 3),
          fixed(Math.max(...values), 3),
          ratio(base, mid(target, first)),
          ...overPortkey(target, first),
        ];
      }),
      `workerd CPU per request, c=${first}, median of ${rounds} interleaved rounds of ${requests} requests`,
    );
    if (v1Only) printV1Ratios(targets, (target) => samples.get(key(target, first)) ?? []);
    return;
  }
  const baseline = targets[0] as Target;
  printTable(
    [
      "target",
      ...levels.map((level) => `c=${level} ms/req`),
      ...levels.slice(1).map((level) => `c=${level} ÷ c=${first}`),
      ...levels.map((level) => `base ÷ this c=${level}`),
      ...(portkey ? levels.map((level) => `Portkey ÷ this c=${level}`) : []),
    ],
    targets.map((target) => [
      target.name,
      ...levels.map((level) => fixed(mid(target, level), 3)),
      ...levels.slice(1).map((level) => ratio(mid(target, level), mid(target, first))),
      ...levels.map((level) => ratio(mid(baseline, level), mid(target, level))),
      ...levels.flatMap((level) => overPortkey(target, level)),
    ]),
    `workerd CPU per request by concurrency, median of ${rounds} rounds of ${requests} requests; ` +
      "every round runs every target at every level",
  );
  if (redis) {
    const per = (target: Target, level: number, field: "requests" | "pipelines" | "commands") => {
      const sum = restCalls.get(key(target, level));
      return sum ? sum[field] / Math.max(1, sum.chats) : Number.NaN;
    };
    printTable(
      [
        "target",
        ...levels.map((level) => `c=${level} REST calls/chat`),
        ...levels.map((level) => `c=${level} of them pipelines`),
        ...levels.map((level) => `c=${level} commands/chat`),
      ],
      targets
        .filter(onRedis)
        .map((target) => [
          target.name,
          ...levels.map((level) => fixed(per(target, level, "requests"), 2)),
          ...levels.map((level) => fixed(per(target, level, "pipelines"), 2)),
          ...levels.map((level) => fixed(per(target, level, "commands"), 2)),
        ]),
      "Redis REST requests (the worker's subrequests to the bridge) per chat, summed over all rounds " +
        "(writes after the answer that finish after a cell ends count in the next cell)",
    );
  }
  if (!values.gc) return;
  const gcOf = (target: Target, level: number, field: keyof GcTally, per = 1) => {
    const sum = collections.get(key(target, level));
    return sum ? (per * sum[field]) / Math.max(1, sum.requests) : Number.NaN;
  };
  printTable(
    [
      "target",
      ...levels.map((level) => `c=${level} GC ms/req`),
      ...levels.map((level) => `c=${level} of it full`),
      ...levels.map((level) => `c=${level} promoted KB/req`),
      ...levels.map((level) => `c=${level} survived KB/req`),
      ...levels.map((level) => `c=${level} full GCs/10k`),
    ],
    targets.map((target) => [
      target.name,
      ...levels.map((level) => fixed(gcOf(target, level, "pauseMs"), 3)),
      ...levels.map((level) => fixed(gcOf(target, level, "majorPauseMs"), 3)),
      ...levels.map((level) => fixed(gcOf(target, level, "promotedBytes", 1 / 1000), 2)),
      ...levels.map((level) => fixed(gcOf(target, level, "survivedBytes", 1 / 1000), 2)),
      ...levels.map((level) => fixed(gcOf(target, level, "major", 10_000), 1)),
    ]),
    "Garbage collection (V8 --trace-gc-nvp), summed over all rounds: main-thread pause per " +
      "request, bytes promoted to the old generation per request, full collections per 10,000 requests",
  );
}

/** The `--paths v1` rows: each worker's `/chat` and `/v1` without metrics, next to each other. */
function v1Targets(ours: string, other: string | undefined): Target[] {
  return [
    chatTarget(BASELINE, stand.baseline.url),
    chatTarget('ours /chat metrics:"off"', ours, { metrics: "off" }),
    openAITarget("ours /v1 X-Metrics: off", ours, "off"),
    ...(other
      ? [
          chatTarget('against: /chat metrics:"off"', other, { metrics: "off" }),
          openAITarget("against: /v1 X-Metrics: off", other, "off"),
        ]
      : []),
  ];
}

/** `/v1` ÷ `/chat` of each worker: the ratio of each round's pair, then their median. */
function printV1Ratios(targets: Target[], samplesOf: (target: Target) => number[]): void {
  const rows = [0, 1].flatMap((pair) => {
    const [chat, v1] = [targets[1 + 2 * pair], targets[2 + 2 * pair]];
    if (!chat || !v1) return [];
    const chatSamples = samplesOf(chat);
    const perRound = samplesOf(v1).map((value, round) => value / (chatSamples[round] ?? Number.NaN));
    return [
      [
        v1.name.split(" ")[0] ?? "",
        fixed(median(perRound), 3),
        fixed(Math.min(...perRound), 3),
        fixed(Math.max(...perRound), 3),
      ],
    ];
  });
  printTable(
    ["worker", "/v1 ÷ /chat (median of rounds)", "min", "max"],
    rows,
    "/v1 over /chat, round by round (target ≤ 1.05)",
  );
}

const ourTracer = gcTracer("ours");
const otherTracer = gcTracer("against");
const baseTracer = gcTracer("baseline");
const redisTracer = gcTracer("redis");
const otherRedisTracer = gcTracer("against-redis");
const portkeyTracer = gcTracer("portkey");
const stand = await startStand(
  { replyWords: 150 },
  values.gc ? { v8Flags: GC_TRACE_FLAGS, onStdout: (text) => ourTracer.feed(text) } : {},
  values.gc ? { v8Flags: GC_TRACE_FLAGS, onStdout: (text) => baseTracer.feed(text) } : {},
);
const workdir = await mkdtemp(join(tmpdir(), "neon-nexus-bench-against-"));
let other: ServedWorker | undefined;
let redis: RedisStand | undefined;
let withRedis: ServedWorker | undefined;
let otherWithRedis: ServedWorker | undefined;
let portkey: ServedPortkey | undefined;
try {
  if (values.portkey) {
    portkey = await startPortkey(
      stand.upstream.groqBaseUrl,
      replyText(150),
      values.gc ? { v8Flags: GC_TRACE_FLAGS, onStdout: (text) => portkeyTracer.feed(text) } : {},
    );
  }
  if (values.redis) {
    redis = await startRedisStand();
    withRedis = await serveWorker(stand.builds.ours, {
      vars: ourVars(stand.upstream, redis.vars),
      configName: "redis.capnp",
      ...(values.gc ? { v8Flags: GC_TRACE_FLAGS, onStdout: (text: string) => redisTracer.feed(text) } : {}),
    });
  }
  if (values.against) {
    const built = await buildWorker(resolve(values.against), join(workdir, "against"));
    other = await serveWorker(built, {
      vars: ourVars(stand.upstream),
      ...(values.gc ? { v8Flags: GC_TRACE_FLAGS, onStdout: (text: string) => otherTracer.feed(text) } : {}),
    });
    if (redis) {
      const tracing = { v8Flags: GC_TRACE_FLAGS, onStdout: (text: string) => otherRedisTracer.feed(text) };
      otherWithRedis = await serveWorker(built, {
        vars: ourVars(stand.upstream, redis.vars),
        configName: "redis.capnp",
        ...(values.gc ? tracing : {}),
      });
    }
  }
  await main(
    stand,
    other,
    redis && withRedis && { stand: redis, ours: withRedis, other: otherWithRedis },
    portkey,
  );
} finally {
  await portkey?.stop();
  await otherWithRedis?.stop();
  await withRedis?.stop();
  await redis?.stop();
  await other?.stop();
  await stand.stop();
  await rm(workdir, { recursive: true, force: true });
}
