import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { killOnExit } from "./children.ts";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WRANGLER = join(REPO_ROOT, "node_modules/.bin/wrangler");
const WORKERD = join(REPO_ROOT, "node_modules/workerd/bin/workerd");
const run = promisify(execFile);

/** A worker bundle written by `wrangler deploy --dry-run --outdir`. */
export interface BuiltWorker {
  outdir: string;
  modules: { name: string; kind: "esModule" | "wasm" | "text" | "data" }[];
  compatibilityDate: string;
  compatibilityFlags: string[];
  bytes: number;
  gzipBytes: number;
}

/** Bundles the worker of a wrangler config exactly as `wrangler deploy` would, without uploading. */
export async function buildWorker(wranglerConfig: string, outdir: string): Promise<BuiltWorker> {
  const configPath = resolve(REPO_ROOT, wranglerConfig);
  await run(WRANGLER, ["deploy", "--dry-run", "--outdir", outdir, "--config", configPath], {
    cwd: REPO_ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
    maxBuffer: 16 * 1024 * 1024,
  });
  const toml = await readFile(configPath, "utf8");
  const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? "2026-08-01";
  const flagList = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? "";
  const compatibilityFlags = [...flagList.matchAll(/"([^"]+)"/g)].map((match) => match[1] as string);

  const modules: BuiltWorker["modules"] = [];
  let bytes = 0;
  let gzipBytes = 0;
  for (const name of (await readdir(outdir)).sort(mainFirst)) {
    const kind = moduleKind(name);
    if (!kind) continue;
    const content = await readFile(join(outdir, name));
    bytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
    modules.push({ name, kind });
  }
  if (modules[0]?.kind !== "esModule") throw new Error(`no worker module in ${outdir}`);
  return { outdir, modules, compatibilityDate, compatibilityFlags, bytes, gzipBytes };
}

function moduleKind(name: string): BuiltWorker["modules"][number]["kind"] | undefined {
  if (/\.m?js$/.test(name)) return "esModule";
  if (name.endsWith(".wasm")) return "wasm";
  if (/\.(txt|html|sql)$/.test(name)) return "text";
  if (name.endsWith(".bin")) return "data";
  return undefined;
}

const mainFirst = (a: string, b: string) =>
  Number(!/^(index|worker)\.m?js$/.test(a)) - Number(!/^(index|worker)\.m?js$/.test(b));

/** A `workerd serve` process answering on 127.0.0.1. */
export interface ServedWorker {
  url: string;
  pid: number;
  /** From spawning `workerd serve` to the first 200 of the health path, in ms. */
  startupMs: number;
  /** From spawning `workerd serve` to its socket listening (the worker's module loaded), in ms. */
  listenMs: number;
  /** The request that answered the first 200, from sending it to the end of its body, in ms. */
  firstRequestMs: number;
  /** CPU time the workerd process has used so far (all threads), in ms. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Text bindings (`env.NAME`). */
  vars: Record<string, string>;
  /** Path answering 200 once the worker is up. */
  healthPath?: string;
  /** Method, headers and body of the request to the health path (a plain GET without it). */
  healthRequest?: RequestInit;
  configName?: string;
  /** Serve V8's inspector protocol on this 127.0.0.1 port (for CPU profiles). */
  inspectorPort?: number;
  /** V8 flags for the process (the config's `v8Flags`), e.g. `--trace-gc`. */
  v8Flags?: string[];
  /** Receives workerd's standard output (where V8's traces go); discarded without it. */
  onStdout?: (text: string) => void;
}

/** Writes a workerd config for a built worker and serves it on a free port of 127.0.0.1. */
export async function serveWorker(built: BuiltWorker, options: ServeOptions): Promise<ServedWorker> {
  const configPath = join(built.outdir, options.configName ?? "workerd.capnp");
  await writeFile(configPath, capnpConfig(built, options.vars, options.v8Flags ?? []));
  const started = performance.now();
  const args = ["serve", configPath, "--control-fd=3", "--socket-addr=http=127.0.0.1:0"];
  if (options.inspectorPort) args.push(`--inspector-addr=127.0.0.1:${options.inspectorPort}`);
  // V8's traces go through stdio's buffer: line-buffer it, so each trace arrives when it happens.
  const command = options.onStdout ? ["stdbuf", "-oL", WORKERD, ...args] : [WORKERD, ...args];
  const child = spawn(command[0] as string, command.slice(1), {
    stdio: ["ignore", options.onStdout ? "pipe" : "ignore", "pipe", "pipe"],
  });
  killOnExit(child);
  const { onStdout } = options;
  if (onStdout) child.stdout?.on("data", (chunk: Buffer) => onStdout(chunk.toString()));
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  try {
    const port = await Promise.race([
      listeningPort(child.stdio[3] as Readable),
      exited.then((code) => Promise.reject(new Error(`workerd exited (${code}): ${stderr}`))),
      sleep(20_000).then(() => Promise.reject(new Error(`workerd did not listen within 20 s: ${stderr}`))),
    ]);
    const listenMs = performance.now() - started;
    const url = `http://127.0.0.1:${port}`;
    const firstRequestMs = await waitForOk(
      `${url}${options.healthPath ?? "/health"}`,
      options.healthRequest ?? {},
      20_000,
    );
    const startupMs = performance.now() - started;
    const pid = child.pid as number;
    return { url, pid, startupMs, listenMs, firstRequestMs, cpuMs: () => processCpuMs(pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function capnpConfig(built: BuiltWorker, vars: Record<string, string>, v8Flags: string[]): string {
  const text = (value: string) => JSON.stringify(value);
  const modules = built.modules.map(
    (module) => `(name = ${text(module.name)}, ${module.kind} = embed ${text(module.name)})`,
  );
  const bindings = Object.entries(vars).map(
    ([name, value]) => `(name = ${text(name)}, text = ${text(value)})`,
  );
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
  v8Flags = [${v8Flags.map(text).join(", ")}],
);

const worker :Workerd.Worker = (
  modules = [${modules.join(", ")}],
  compatibilityDate = ${text(built.compatibilityDate)},
  compatibilityFlags = [${built.compatibilityFlags.map(text).join(", ")}],
  bindings = [${bindings.join(", ")}],
);
`;
}

function listeningPort(control: Readable): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let buffer = "";
    control.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split("\n")) {
        if (!line.trim()) continue;
        try {
          const message = JSON.parse(line) as { event?: string; socket?: string; port?: number };
          if (message.event === "listen" && message.socket === "http" && message.port)
            resolvePort(message.port);
        } catch {
          // a partial line: wait for the rest
        }
      }
    });
    control.once("error", reject);
  });
}

/** Polls `url` until it answers 200; returns how long that answer took, in ms. */
async function waitForOk(url: string, init: RequestInit, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const sent = performance.now();
      const response = await fetch(url, init);
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - sent;
      last = `status ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await sleep(2);
  }
  throw new Error(`${url} never answered 200 (${last})`);
}

/** CPU time of every thread of a process, from the scheduler's nanosecond counters in /proc. */
export async function processCpuMs(pid: number): Promise<number> {
  const tasks = await readdir(`/proc/${pid}/task`);
  let nanoseconds = 0;
  for (const task of tasks) {
    const schedstat = await readFile(`/proc/${pid}/task/${task}/schedstat`, "utf8").catch(() => "0");
    nanoseconds += Number(schedstat.split(" ")[0]);
  }
  return nanoseconds / 1e6;
}

/** Asks the OS for a free TCP port on 127.0.0.1 (for tools that cannot report the port they bound). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}

export const sleep = (ms: number) => new Promise<void>((resolveSleep) => setTimeout(resolveSleep, ms));
