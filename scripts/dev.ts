/**
 * `npm run dev`: the whole local stack on 127.0.0.1 — the worker (wrangler dev) on :8000, the
 * metrics rooms (partykit dev) on :8001, and, when redis-server is installed and no Upstash URL is
 * configured, redis-server on :6379 behind the Upstash-compatible REST bridge on :8079; and, unless
 * CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_VECTOR_DB names a Postgres of your own, the local
 * vector store (PGlite + pgvector, scripts/vector-server.ts) on :5433, with migrations applied.
 * The demo provider (scripts/dev/demo-provider.ts) answers chats while .dev.vars configures none.
 * Nothing listens beyond loopback; saving .dev.vars restarts the worker.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startDemoProvider } from "./dev/demo-provider.ts";
import { readDevVars, watchDevVars } from "./dev/dev-vars.ts";
import { answers, DevStack, listening as listeningOn, waitUntil } from "./dev/processes.ts";
import { reportProviders } from "./dev/provider-report.ts";
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

const listening = (port: number) => listeningOn(HOST, port);
const stack = new DevStack(root);

async function startLocalRedis(token: string): Promise<string | undefined> {
  if (spawnSync("redis-server", ["--version"]).status !== 0) {
    console.log("redis-server is not installed: the cache runs in memory (see README, Cache).");
    return undefined;
  }
  if (!(await listening(PORTS.redis))) {
    const dir = join(root, ".wrangler", "redis");
    mkdirSync(dir, { recursive: true });
    stack.run("redis-server", "redis-server", [
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
  stack.onShutdown(() => bridge.close());
  console.log(`Upstash-compatible REST bridge on ${bridge.url} → redis://${HOST}:${PORTS.redis}`);
  return bridge.url;
}

const waitForPort = (port: number, timeoutMs: number) => waitUntil(() => listening(port), timeoutMs);

/**
 * Starts PGlite + pgvector on :5433 (data in .wrangler/pgvector) unless `configured` names a Postgres
 * of your own; migrates whichever it is. wrangler dev reaches it through the Hyperdrive binding.
 */
async function startLocalVectorStore(configured: string | undefined, url: string): Promise<void> {
  if (!configured && !(await listening(PORTS.vectors))) {
    const dir = join(root, ".wrangler", PORTS.vectors === 5433 ? "pgvector" : `pgvector-${PORTS.vectors}`);
    mkdirSync(dir, { recursive: true });
    stack.run("vector store", process.execPath, [
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

/** `.dev.vars`; `DEV_VARS_FILE` names another file (the stack's own test uses a fresh one). */
const devVarsFile = resolve(process.env.DEV_VARS_FILE || join(root, ".dev.vars"));
const vars = readDevVars(root, devVarsFile);
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
const demo = await startDemoProvider({ host: HOST });
stack.onShutdown(() => demo.close());
// The worker asks the demo provider only while .dev.vars configures no real one (src/providers/demo).
wranglerArgs.push("--var", `DEMO_PROVIDER_URL:${demo.url}`, "--env-file", devVarsFile);
const partySecret = vars.PARTY_SECRET ?? "";
// partykit dev has no host option: the preload keeps its rooms and its inspector on 127.0.0.1.
stack.run("partykit", process.execPath, [
  "--import",
  join(root, "scripts", "dev", "partykit-on-loopback.ts"),
  join(root, "node_modules", "partykit", "dist", "bin.mjs"),
  "dev",
  "--port",
  String(PORTS.rooms),
  "--disable-request-cf-fetch",
  "--var",
  `PARTY_SECRET=${partySecret}`,
]);
const apiUrl = `http://${HOST}:${PORTS.api}`;
let worker = stack.run("wrangler", "wrangler", [...wranglerArgs, "--test-scheduled"]);
// Cron Triggers do not fire under wrangler dev: call the scheduled cleanup (exposed by
// --test-scheduled) on wrangler.toml's schedule, every 15 minutes.
setInterval(() => {
  fetch(`${apiUrl}/__scheduled?cron=${encodeURIComponent("*/15 * * * *")}`).catch(() => {});
}, 15 * 60_000).unref();
await announceWorker();

/** Prints where the API is once it answers, then which providers answered. */
async function announceWorker(): Promise<void> {
  if (!(await waitUntil(answers(`${apiUrl}/health`), 120_000))) {
    console.log(`The API did not answer on ${apiUrl} within 2 minutes.`);
    return;
  }
  console.log(`API on ${apiUrl} · rooms on http://${HOST}:${PORTS.rooms} · demo page ${apiUrl}/`);
  await reportProviders(apiUrl);
}

/** Settings read once at start: a change to one of these needs `npm run dev` again. */
const READ_AT_START = ["PARTY_SECRET", "UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN"];
let restarting = Promise.resolve();
const stopWatching = watchDevVars(root, devVarsFile, vars, (_next, changed) => {
  const atStart = changed.filter((name) => READ_AT_START.includes(name));
  restarting = restarting.then(async () => {
    console.log(`.dev.vars changed (${changed.join(", ")}): restarting the worker.`);
    if (atStart.length > 0) console.log(`${atStart.join(", ")} take effect after restarting npm run dev.`);
    await worker.stop();
    worker = stack.run("wrangler", "wrangler", [...wranglerArgs, "--test-scheduled"]);
    await announceWorker();
  });
});
stack.onShutdown(stopWatching);
