import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { type FakeUpstream, spawnFakeUpstream } from "./fake-upstream.ts";
import { compareProfiles, type SampledProfile, summarizeProfile } from "./lib/cpu-profile.ts";
import { openInspector, profileWorker } from "./lib/inspector.ts";
import { runLoad, SequentialClient, type Target } from "./lib/load.ts";
import { type RedisStand, startRedisStand } from "./lib/redis-stand.ts";
import { OUR_CONFIG, ourVars } from "./lib/stand.ts";
import { cacheTargets, chatTarget, openAITarget, PROMPT } from "./lib/targets.ts";
import { buildWorker, freePort, REPO_ROOT, serveWorker } from "./lib/workerd.ts";

/**
 * CPU profile of one request path of our worker, against the fake upstream (in a child process).
 * `--runtime workerd` (default): the dry-run bundle under `workerd serve`, profiled through its V8
 * inspector. `--runtime node`: `createApp().fetch` called in this process. Prints the sources and
 * functions with the most self time and writes the `.cpuprofile` for DevTools.
 *
 *   node bench/profile.ts --path chat-sync --requests 2000 [--runtime node]
 *   node bench/profile.ts --path chat-off --concurrency 16,64   # workerd only
 *
 * `--concurrency` with levels above 1 sends the requests with that many connections at once
 * (autocannon) instead of one after the other; with several levels it records one profile per
 * level from the same worker, alternating, and prints the functions whose µs per request differ
 * most between the first level and the last: what costs more the more requests are in flight.
 * `--redis` (workerd only) serves the worker with its cache, rate limits and audit trail on a real
 * redis-server behind the REST bridge, as `bench:cpu --redis` does.
 */
const PATHS = ["chat-off", "chat-sync", "stream-off", "v1-off", "analyze", "message"] as const;
type ProfiledPath = (typeof PATHS)[number];

const { values } = parseArgs({
  options: {
    path: { type: "string", default: "chat-sync" },
    requests: { type: "string", default: "2000" },
    runtime: { type: "string", default: "workerd" },
    concurrency: { type: "string", default: "1" },
    rounds: { type: "string", default: "2" },
    redis: { type: "boolean", default: false },
  },
});
const levels = values.concurrency.split(",").map((level) => Math.min(Math.max(1, Number(level)), 256));
const rounds = Math.min(Math.max(1, Number(values.rounds)), 10);
const path = values.path as ProfiledPath;
if (!PATHS.includes(path)) throw new Error(`--path must be one of ${PATHS.join(", ")}`);
const requests = Math.min(Number(values.requests), 50_000);
const WARM_UP = 200;

const outdir = join(REPO_ROOT, "node_modules/.cache/bench");
await mkdir(outdir, { recursive: true });
const upstream = await spawnFakeUpstream({ replyWords: 150, chunks: 30 });
try {
  if (levels.length > 1 || levels[0] !== 1) {
    if (values.runtime === "node") throw new Error("--concurrency profiles workerd only");
    await profileLevels(upstream);
    process.exit(0);
  }
  const { profile, bundle } =
    values.runtime === "node" ? await profileInNode(upstream) : await profileInWorkerd(upstream);
  const profileFile = join(outdir, `${path}.${values.runtime}.cpuprofile`);
  await writeFile(profileFile, JSON.stringify(profile));
  console.log(`\n${path} under ${values.runtime}, ${requests} requests one at a time`);
  await summarizeProfile(profile, bundle, requests);
  console.log(`\nprofile: ${profileFile} (open in Chrome DevTools → Performance)`);
} finally {
  await upstream.close();
}

function targetFor(url: string, hits: Target[]): Target {
  const [message, analyze] = hits as [Target, Target];
  const byPath: Record<ProfiledPath, Target> = {
    "chat-off": chatTarget(path, url, { metrics: "off" }),
    "chat-sync": chatTarget(path, url, { metrics: "sync" }),
    "stream-off": chatTarget(path, url, { metrics: "off", stream: true }),
    "v1-off": openAITarget(path, url, "off"),
    analyze,
    message,
  };
  return byPath[path];
}

interface Profiled {
  profile: SampledProfile;
  bundle: { path: string; scriptName: string };
}

/**
 * Builds our worker, serves it in workerd with an inspector port, runs `work` against its URL and
 * keeps a copy of the bundle beside the profiles (so frames map to source names), then stops it.
 */
async function withProfiledWorker<T>(
  upstream: FakeUpstream,
  work: (
    served: { url: string; inspectorPort: number },
    bundle: () => Promise<Profiled["bundle"]>,
  ) => Promise<T>,
): Promise<T> {
  const workdir = await mkdtemp(join(tmpdir(), "neon-nexus-profile-"));
  let redis: RedisStand | undefined;
  try {
    const built = await buildWorker(process.env.PROFILE_CONFIG ?? OUR_CONFIG, workdir);
    const inspectorPort = await freePort();
    redis = values.redis ? await startRedisStand() : undefined;
    const served = await serveWorker(built, { vars: ourVars(upstream, redis?.vars), inspectorPort });
    const bundle = async () => {
      const scriptName = built.modules[0]?.name ?? "index.js";
      const path = join(outdir, "profiled-worker.js");
      await copyFile(join(workdir, scriptName), path);
      return { path, scriptName };
    };
    try {
      return await work({ url: served.url, inspectorPort }, bundle);
    } finally {
      await served.stop();
    }
  } finally {
    await redis?.stop();
    await rm(workdir, { recursive: true, force: true });
  }
}

function profileInWorkerd(upstream: FakeUpstream): Promise<Profiled> {
  return withProfiledWorker(upstream, async ({ url, inspectorPort }, bundle) => {
    const client = new SequentialClient(targetFor(url, await cacheTargets(url)));
    for (let count = 0; count < WARM_UP; count++) await client.once();
    const profile = await profileWorker(inspectorPort, "main", async () => {
      for (let count = 0; count < requests; count++) await client.once();
    });
    client.close();
    return { profile, bundle: await bundle() };
  });
}

/**
 * One profile per concurrency level (each `rounds` stretches of `requests`, the levels alternating,
 * merged), all from one worker after the same warm-up; prints each level's summary and the
 * comparison.
 */
function profileLevels(upstream: FakeUpstream): Promise<void> {
  return withProfiledWorker(upstream, async ({ url, inspectorPort }, bundle) => {
    const target = targetFor(url, await cacheTargets(url));
    for (const level of levels) await runLoad(target, level, { amount: WARM_UP * 5 });
    const profiles = new Map<number, SampledProfile[]>(levels.map((level) => [level, []]));
    const session = await openInspector(inspectorPort, "main");
    for (let round = 0; round < rounds; round++) {
      for (const level of levels) {
        await target.refresh?.();
        const profile = await session.profile(async () => {
          const result = await runLoad(target, level, { amount: requests });
          if (result.failures > 0) throw new Error(`${result.failures} failed requests at c=${level}`);
        });
        profiles.get(level)?.push(profile);
      }
    }
    session.close();
    const profiledBundle = await bundle();
    for (const level of levels) {
      const list = profiles.get(level) ?? [];
      for (const [index, profile] of list.entries())
        await writeFile(join(outdir, `${path}.c${level}.${index}.cpuprofile`), JSON.stringify(profile));
    }
    await compareProfiles(
      levels.map((level) => ({ label: `c=${level}`, profiles: profiles.get(level) ?? [] })),
      profiledBundle,
      requests,
    );
    console.log(`\nprofiles: ${join(outdir, `${path}.c<level>.<round>.cpuprofile`)}`);
  });
}

interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  props: Record<string, never>;
}

type AppLike = {
  fetch(request: Request, env: Record<string, string>, context: ExecutionContextLike): Promise<Response>;
};

async function profileInNode(upstream: FakeUpstream): Promise<Profiled> {
  const bundle = join(outdir, "profiled-app.mjs");
  await build({
    entryPoints: [join(REPO_ROOT, "src/app.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser"],
    outfile: bundle,
    logLevel: "warning",
  });
  const { createApp } = (await import(pathToFileURL(bundle).href)) as { createApp(): AppLike };
  const app = createApp();
  const env = ourVars(upstream);
  const pending: Promise<unknown>[] = [];
  const context: ExecutionContextLike = {
    waitUntil: (promise) => pending.push(promise),
    passThroughOnException() {},
    props: {},
  };
  const call = async (route: string, body?: unknown, extra: Record<string, string> = {}) => {
    const headers = {
      "content-type": "application/json",
      "cf-connecting-ip": `10.1.0.${pending.length % 250}`,
      ...extra,
    };
    const init = body === undefined ? { headers } : { method: "POST", headers, body: JSON.stringify(body) };
    const response = await app.fetch(new Request(`http://bench${route}`, init), env, context);
    const text = await response.text();
    await Promise.all(pending.splice(0));
    if (response.status !== 200)
      throw new Error(`${route} answered ${response.status}: ${text.slice(0, 300)}`);
    return text;
  };
  const seed = JSON.parse(await call("/chat", { message: PROMPT, metrics: "off" })) as {
    id: string;
    message: string;
  };
  const once: Record<ProfiledPath, () => Promise<unknown>> = {
    "chat-off": () => call("/chat", { message: PROMPT, metrics: "off" }),
    "chat-sync": () => call("/chat", { message: PROMPT, metrics: "sync" }),
    "stream-off": () => call("/chat", { message: PROMPT, metrics: "off", stream: true }),
    "v1-off": () => {
      const { body, headers } = openAITarget(path, "", "off");
      return call("/v1/chat/completions", JSON.parse(String(body)), headers);
    },
    analyze: () => call("/analyze", { text: seed.message }),
    message: () => call(`/messages/${seed.id}`),
  };
  for (let count = 0; count < WARM_UP; count++) await once[path]();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  for (let count = 0; count < requests; count++) await once[path]();
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  return { profile: profile as SampledProfile, bundle: { path: bundle, scriptName: "profiled-app.mjs" } };
}
