/**
 * `npm run dev`: the whole local stack on 127.0.0.1 — the worker (wrangler dev) on :8000, the
 * metrics rooms (partykit dev) on :8001, and, when redis-server is installed and no Upstash URL is
 * configured, redis-server on :6379 behind the Upstash-compatible REST bridge on :8079; and, unless
 * CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_VECTOR_DB names a Postgres of your own, the local
 * vector store (PGlite + pgvector, scripts/vector-server.ts) on :5433, with migrations applied.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { createConnection } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations, LOCAL_VECTOR_DATABASE_URL } from "./migrations.ts";
import { startBridge } from "./redis-rest-bridge.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const HOST = "127.0.0.1";
/** The README's ports; `DEV_*_PORT` moves one (the stack's own test runs it on free ports). */
const PORTS = {
  api: portFromEnv("DEV_API_PORT", 8000),
  rooms: portFromEnv("DEV_ROOMS_PORT", 8001),
  redis: portFromEnv("DEV_REDIS_PORT", 6379),
  bridge: portFromEnv("DEV_BRIDGE_PORT", 8079),
  vectors: portFromEnv("DEV_VECTORS_PORT", 5433),
};
// Offline machines: neither wrangler nor partykit should try to download Request.cf data.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    console.error(`${name} must be a port number (1–65535).`);
    process.exit(1);
  }
  return port;
}

function readDevVars(): Record<string, string> {
  const path = join(root, ".dev.vars");
  if (!existsSync(path)) {
    copyFileSync(join(root, ".dev.vars.example"), path);
    console.log("Created .dev.vars from .dev.vars.example — put your keys there.");
  }
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1]) vars[match[1]] = (match[2] ?? "").replace(/^["']|["']$/g, "");
  }
  return vars;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

const children: ChildProcess[] = [];
function run(name: string, command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { cwd: root, stdio: "inherit", detached: false });
  child.on("exit", (code) => {
    console.log(`${name} exited (${code ?? "signal"}); stopping the stack.`);
    shutdown(code ?? 1);
  });
  children.push(child);
  return child;
}

let closing = false;
const cleanups: Array<() => Promise<void> | void> = [];
async function shutdown(code: number): Promise<void> {
  if (closing) return;
  closing = true;
  for (const child of children) child.kill("SIGTERM");
  for (const cleanup of cleanups) await cleanup();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function startLocalRedis(token: string): Promise<string | undefined> {
  if (spawnSync("redis-server", ["--version"]).status !== 0) {
    console.log("redis-server is not installed: the cache runs in memory (see README, Cache).");
    return undefined;
  }
  if (!(await listening(PORTS.redis))) {
    const dir = join(root, ".wrangler", "redis");
    mkdirSync(dir, { recursive: true });
    run("redis-server", "redis-server", [
      "--bind",
      HOST,
      "--port",
      String(PORTS.redis),
      "--dir",
      dir,
      "--appendonly",
      "yes",
    ]);
  }
  const bridge = await startBridge({
    port: PORTS.bridge,
    host: HOST,
    redisUrl: `redis://${HOST}:${PORTS.redis}`,
    token,
  });
  cleanups.push(() => bridge.close());
  console.log(`Upstash-compatible REST bridge on ${bridge.url} → redis://${HOST}:${PORTS.redis}`);
  return bridge.url;
}

async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await listening(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

/**
 * Starts PGlite + pgvector on :5433 (data in .wrangler/pgvector) unless `configured` names a Postgres
 * of your own; migrates whichever it is. wrangler dev reaches it through the Hyperdrive binding.
 */
async function startLocalVectorStore(configured: string | undefined, url: string): Promise<void> {
  if (!configured && !(await listening(PORTS.vectors))) {
    const dir = join(root, ".wrangler", PORTS.vectors === 5433 ? "pgvector" : `pgvector-${PORTS.vectors}`);
    mkdirSync(dir, { recursive: true });
    run("vector store", process.execPath, [
      join(root, "scripts", "vector-server.ts"),
      "--port",
      String(PORTS.vectors),
      "--data",
      dir,
    ]);
    if (!(await waitForPort(PORTS.vectors, 120_000))) {
      console.log("The local vector store did not start: memory and the semantic cache stay off.");
      return;
    }
  }
  try {
    const applied = await applyMigrations(url);
    console.log(`Vector store ready${applied.length ? ` (applied ${applied.join(", ")})` : ""}.`);
  } catch (error) {
    console.log(`Could not migrate the vector store: ${(error as Error).message}`);
  }
}

const vars = readDevVars();
const wranglerArgs = [
  "dev",
  "--ip",
  HOST,
  "--port",
  String(PORTS.api),
  "--var",
  `PARTYKIT_HOST:http://${HOST}:${PORTS.rooms}`,
];
if (!vars.UPSTASH_REDIS_REST_URL) {
  const token = vars.UPSTASH_REDIS_REST_TOKEN || "local-dev-redis-token";
  const url = await startLocalRedis(token);
  if (url)
    wranglerArgs.push("--var", `UPSTASH_REDIS_REST_URL:${url}`, "--var", `UPSTASH_REDIS_REST_TOKEN:${token}`);
}
const configuredVectorDb = process.env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_VECTOR_DB || undefined;
const vectorDb = configuredVectorDb ?? LOCAL_VECTOR_DATABASE_URL.replace(":5433/", `:${PORTS.vectors}/`);
process.env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_VECTOR_DB = vectorDb;
// PGlite takes some seconds to start; the worker does not wait for it (memory is skipped until then).
void startLocalVectorStore(configuredVectorDb, vectorDb);
const partySecret = vars.PARTY_SECRET ?? "";
run("partykit", "partykit", [
  "dev",
  "--port",
  String(PORTS.rooms),
  "--disable-request-cf-fetch",
  "--var",
  `PARTY_SECRET=${partySecret}`,
]);
run("wrangler", "wrangler", [...wranglerArgs, "--test-scheduled"]);
// Cron Triggers do not fire under wrangler dev: call the scheduled cleanup (exposed by
// --test-scheduled) on wrangler.toml's schedule, every 15 minutes.
setInterval(() => {
  fetch(`http://${HOST}:${PORTS.api}/__scheduled?cron=${encodeURIComponent("*/15 * * * *")}`).catch(() => {});
}, 15 * 60_000).unref();
console.log(`API on http://${HOST}:${PORTS.api} · rooms on http://${HOST}:${PORTS.rooms}`);
