import { readFile } from "node:fs/promises";
import { printTable } from "./table.ts";

/** The parts of a V8 `.cpuprofile` the summary reads. */
export interface SampledProfile {
  nodes: {
    id: number;
    hitCount?: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples?: number[];
  startTime: number;
  endTime: number;
}

/**
 * Prints self time per source (our files, each dependency package, the runtime) and per function,
 * idle time excluded, as a share and in µs per request. Bundle lines are mapped back to their
 * source file through the path comments esbuild writes into unminified bundles.
 */
export async function summarizeProfile(
  profile: SampledProfile,
  bundle: { path: string; scriptName: string },
  requests: number,
): Promise<void> {
  const fileOf = await sourceFileOfLine(bundle.path);
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
    const inBundle = url.endsWith(bundle.scriptName);
    const file = inBundle ? fileOf(lineNumber) : url || "(runtime: native, GC)";
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
  const busyUs = (total * usPerSample) / requests;
  console.log(
    `busy (non-idle) thread time while profiling: ${busyUs.toFixed(0)} µs per request (the profiler inflates it)`,
  );
  printTable(["source (our file or package)", "self", "µs/req"], top(byFile, 20), "Self time by source");
  printTable(
    ["function · source:bundle line", "self", "µs/req"],
    top(byFunction, 25),
    "Self time by function",
  );
}

/** Maps a 0-based line of an esbuild bundle to the source file whose section holds it. */
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

/** Self µs per request by function and by source over some profiles of one worker. */
function selfTimes(
  profiles: readonly SampledProfile[],
  fileOf: (line: number) => string,
  scriptName: string,
  requests: number,
): { byFunction: Map<string, number>; byFile: Map<string, number>; busyUs: number } {
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let busyUs = 0;
  const perRequest = 1 / (requests * profiles.length);
  for (const profile of profiles) {
    const usPerSample = (profile.endTime - profile.startTime) / Math.max(1, profile.samples?.length ?? 0);
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      const { functionName, url, lineNumber } = node.callFrame;
      if (!hits || functionName === "(idle)") continue;
      const us = hits * usPerSample * perRequest;
      const inBundle = url.endsWith(scriptName);
      const file = inBundle ? fileOf(lineNumber) : url || "(runtime: native, GC)";
      const key = `${functionName || "(anonymous)"} · ${file}${inBundle ? `:${lineNumber + 1}` : ""}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + us);
      byFile.set(file, (byFile.get(file) ?? 0) + us);
      busyUs += us;
    }
  }
  return { byFunction, byFile, busyUs };
}

/**
 * Prints, for profiles taken at several concurrency levels, the busy µs per request of each level
 * and the sources and functions whose µs per request changed most from the first level to the last
 * (`(program)`, native work V8 cannot attribute, and `(garbage collector)` included).
 */
export async function compareProfiles(
  levels: readonly { label: string; profiles: readonly SampledProfile[] }[],
  bundle: { path: string; scriptName: string },
  requests: number,
): Promise<void> {
  const fileOf = await sourceFileOfLine(bundle.path);
  const times = levels.map((level) => selfTimes(level.profiles, fileOf, bundle.scriptName, requests));
  const first = times[0];
  const last = times[times.length - 1];
  if (!first || !last) return;
  const labels = levels.map((level) => level.label);
  const lastLabel = labels[labels.length - 1] ?? "";
  printTable(
    ["", ...labels],
    [["busy µs/req (profiler-inflated)", ...times.map((time) => time.busyUs.toFixed(1))]],
    "Busy thread time per request (idle excluded)",
  );
  const table = (
    pick: (time: (typeof times)[number]) => Map<string, number>,
    count: number,
    title: string,
  ) => {
    const names = new Set([...pick(first).keys(), ...pick(last).keys()]);
    const rows = [...names]
      .map((name) => ({ name, change: (pick(last).get(name) ?? 0) - (pick(first).get(name) ?? 0) }))
      .sort((a, b) => Math.abs(b.change) - Math.abs(a.change))
      .slice(0, count);
    printTable(
      [title, ...labels.map((label) => `${label} µs/req`), `${lastLabel} − ${labels[0]}`],
      rows.map(({ name, change }) => [
        name,
        ...times.map((time) => (pick(time).get(name) ?? 0).toFixed(1)),
        `${change >= 0 ? "+" : ""}${change.toFixed(1)}`,
      ]),
      `Largest changes in self time per request, ${labels[0]} → ${lastLabel}`,
    );
  };
  table((time) => time.byFile, 12, "source");
  table((time) => time.byFunction, 25, "function · source:bundle line");
}
