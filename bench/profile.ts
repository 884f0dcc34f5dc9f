import { mkdir, readFile, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { spawnFakeUpstream } from "./fake-upstream.ts";
import { ourVars } from "./lib/stand.ts";
import { printTable } from "./lib/table.ts";
import { PROMPT } from "./lib/targets.ts";
import { REPO_ROOT } from "./lib/workerd.ts";

/**
 * CPU profile of one request path of our app, run in node against `createApp().fetch` (bundled with
 * esbuild as wrangler would), against the fake upstream in a child process. Prints the functions
 * and source files with the most self time and writes the `.cpuprofile` for DevTools.
 *
 *   node bench/profile.ts --path chat-sync --requests 2000
 */
const PATHS = ["chat-off", "chat-sync", "stream-off", "analyze", "message"] as const;
type ProfiledPath = (typeof PATHS)[number];

const { values } = parseArgs({
  options: { path: { type: "string", default: "chat-sync" }, requests: { type: "string", default: "2000" } },
});
const path = values.path as ProfiledPath;
if (!PATHS.includes(path)) throw new Error(`--path must be one of ${PATHS.join(", ")}`);
const requests = Math.min(Number(values.requests), 50_000);

const outdir = join(REPO_ROOT, "node_modules/.cache/bench");
await mkdir(outdir, { recursive: true });
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
const { createApp } = (await import(pathToFileURL(bundle).href)) as {
  createApp(): {
    fetch(request: Request, env: Record<string, string>, context: ExecutionContextLike): Promise<Response>;
  };
};

interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  props: Record<string, never>;
}

const upstream = await spawnFakeUpstream({ replyWords: 150, chunks: 30 });
try {
  const app = createApp();
  const env = ourVars(upstream);
  const pending: Promise<unknown>[] = [];
  const context: ExecutionContextLike = {
    waitUntil: (promise) => pending.push(promise),
    passThroughOnException() {},
    props: {},
  };
  const call = async (route: string, body?: unknown) => {
    const init =
      body === undefined
        ? {}
        : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
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
    analyze: () => call("/analyze", { text: seed.message }),
    message: () => call(`/messages/${seed.id}`),
  };
  for (let warm = 0; warm < 200; warm++) await once[path]();

  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  const started = performance.now();
  for (let count = 0; count < requests; count++) await once[path]();
  const wallMs = performance.now() - started;
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();

  const profileFile = join(outdir, `${path}.cpuprofile`);
  await writeFile(profileFile, JSON.stringify(profile));
  console.log(
    `\n${path}: ${requests} requests in ${wallMs.toFixed(0)} ms → ${(wallMs / requests).toFixed(3)} ms each (node, in-process)`,
  );
  summarize(profile, await sourceFileOfLine(bundle), requests);
  console.log(`\nprofile: ${profileFile} (open in Chrome DevTools → Performance)`);
} finally {
  await upstream.close();
}

interface ProfileNode {
  id: number;
  hitCount?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface SampledProfile {
  nodes: ProfileNode[];
  samples?: number[];
  startTime: number;
  endTime: number;
}

/** Self time per function and per bundled source file, as a share of all samples. */
function summarize(profile: SampledProfile, fileOf: (line: number) => string, requests: number): void {
  const idle = new Set(["(idle)", "(program)"]);
  const counted = profile.nodes.filter((node) => !idle.has(node.callFrame.functionName));
  const total = Math.max(
    1,
    counted.reduce((sum, node) => sum + (node.hitCount ?? 0), 0),
  );
  const usPerSample = (profile.endTime - profile.startTime) / Math.max(1, profile.samples?.length ?? 0);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of counted) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const inBundle = url.endsWith("profiled-app.mjs");
    const file = inBundle ? fileOf(lineNumber) : url || "(native / GC)";
    const key = `${functionName || "(anonymous)"} · ${file}${inBundle ? `:${lineNumber + 1}` : ""}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
    byFile.set(file, (byFile.get(file) ?? 0) + hits);
  }
  const top = (map: Map<string, number>, count: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, hits]) => [
        name,
        `${((100 * hits) / total).toFixed(1)}%`,
        ((hits * usPerSample) / requests).toFixed(1),
      ]);
  printTable(
    ["source (bundled file or package)", "self", "µs/req"],
    top(byFile, 20),
    "Self time by source (idle excluded)",
  );
  printTable(["function · file:bundle line", "self", "µs/req"], top(byFunction, 25), "Self time by function");
}

/** Maps a 0-based line of the esbuild bundle to the source file whose section holds it. */
async function sourceFileOfLine(bundlePath: string): Promise<(line: number) => string> {
  const starts: { line: number; file: string }[] = [];
  (await readFile(bundlePath, "utf8")).split("\n").forEach((text, line) => {
    const marker = /^\/\/ (\S+\.(?:ts|js|mjs|cjs|json))$/.exec(text)?.[1];
    if (marker) starts.push({ line, file: sourceLabel(marker) });
  });
  return (line) => {
    let file = "(bundle prelude)";
    for (const start of starts) {
      if (start.line > line) break;
      file = start.file;
    }
    return file;
  };
}

/** `src/chat/score.ts` for our files, the package name for dependencies. */
function sourceLabel(bundledPath: string): string {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(bundledPath)?.[1];
  return dependency ?? bundledPath.replace(/^(\.\.\/)+/, "").replace(/^.*?\bsrc\//, "src/");
}
