import { createHash, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";

/** Options of the local Upstash-compatible REST bridge. */
export interface BridgeOptions {
  port: number;
  host?: string;
  redisUrl: string;
  token: string;
  /** Largest accepted request body; bigger bodies get 413. Default 10 MiB. */
  maxBodyBytes?: number;
  /** Receives one line per notable event (Redis lost/back). Silent by default. */
  log?: (line: string) => void;
}

export interface RunningBridge {
  /** Base URL for `new Redis({ url, token })`, e.g. `http://127.0.0.1:8079`. */
  url: string;
  close(): Promise<void>;
}

type Command = [string, ...string[]];
type ItemOutcome = { result: unknown } | { error: string };

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const READY_WAIT_MS = 1_000;
const WELCOME = "Welcome to the Neon Nexus Redis REST bridge (Upstash REST protocol)";
/** Commands that would block or change the state of the one shared Redis connection. */
const UNSUPPORTED_COMMANDS = new Set([
  ...["SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "MONITOR"],
  ...["SELECT", "QUIT", "RESET", "HELLO", "AUTH", "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH"],
  ...["BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT"],
]);
const ROUTES: Record<string, "single" | "pipeline" | "multi-exec"> = {
  "/": "single",
  "/pipeline": "pipeline",
  "/multi-exec": "multi-exec",
};

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function checkAuthorization(header: string | undefined, expectedDigest: Buffer): void {
  const match = /^Bearer (\S+)$/.exec(header ?? "");
  if (!match?.[1]) throw new HttpError(400, "Missing/Invalid authorization header");
  if (!timingSafeEqual(sha256(match[1]), expectedDigest)) throw new HttpError(401, "Invalid token");
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const tooLarge = new HttpError(413, `ERR request body larger than ${maxBytes} bytes`);
  if (Number(request.headers["content-length"] ?? 0) > maxBytes) throw tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function toCommand(value: unknown): Command {
  if (!Array.isArray(value) || value.length === 0)
    throw new HttpError(400, "ERR command must be a non-empty array");
  const parts = value.map((part) => {
    if (typeof part === "string") return part;
    if (typeof part === "number" || typeof part === "boolean") return String(part);
    throw new HttpError(400, "ERR command arguments must be strings, numbers or booleans");
  });
  const [givenName = "", ...args] = parts;
  // Upper case keeps ioredis from reshaping replies: its transformers (hgetall → object, …) match lower-case names.
  const name = givenName.toUpperCase();
  if (UNSUPPORTED_COMMANDS.has(name))
    throw new HttpError(400, `ERR command ${name} is not supported over REST`);
  return adaptScript([name, ...args]);
}

/** Script flags Redis 7.0 knows; Upstash also accepts newer ones such as `allow-key-locking`. */
const KNOWN_SCRIPT_FLAGS = new Set([
  "no-writes",
  "allow-oom",
  "allow-stale",
  "no-cluster",
  "allow-cross-slot-keys",
]);
/** sha1 of a script as the client sent it → sha1 of the script Redis was given. */
const adaptedShas = new Map<string, string>();

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/**
 * Lets clients written for Upstash run their Lua scripts on a local Redis 7.0: unknown shebang
 * flags (which Redis 7.0 refuses) are dropped, and EVALSHA of the script as sent finds the script
 * Redis actually loaded.
 */
function adaptScript(command: Command): Command {
  const [name, first = "", ...rest] = command;
  if (name === "EVAL" || name === "EVAL_RO" || (name === "SCRIPT" && first.toUpperCase() === "LOAD")) {
    const scriptIndex = name === "SCRIPT" ? 0 : -1;
    const script = scriptIndex === 0 ? (rest[0] ?? "") : first;
    const adapted = script.replace(/^#!lua flags=([^\n]*)/, (_, flags: string) => {
      const kept = flags.split(",").filter((flag) => KNOWN_SCRIPT_FLAGS.has(flag.trim()));
      return kept.length > 0 ? `#!lua flags=${kept.join(",")}` : "#!lua";
    });
    if (adapted === script) return command;
    adaptedShas.set(sha1(script), sha1(adapted));
    return scriptIndex === 0 ? [name, first, adapted, ...rest.slice(1)] : [name, adapted, ...rest];
  }
  if (name === "EVALSHA" || name === "EVALSHA_RO") {
    return [name, adaptedShas.get(first.toLowerCase()) ?? first, ...rest];
  }
  return command;
}

function parseBody(body: string, batch: boolean): Command[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new HttpError(400, "ERR request body is not valid JSON");
  }
  if (!batch) return [toCommand(value)];
  if (!Array.isArray(value) || value.length === 0) {
    throw new HttpError(400, "ERR body must be a non-empty array of commands");
  }
  return value.map(toCommand);
}

/** Strings (Redis returns raw bytes) become UTF-8 text, or base64 of the bytes when asked; numbers and null stay. */
function encodeResult(value: unknown, base64: boolean): unknown {
  if (Buffer.isBuffer(value)) return value.toString(base64 ? "base64" : "utf8");
  if (typeof value === "string") return base64 ? Buffer.from(value).toString("base64") : value;
  if (Array.isArray(value)) return value.map((item) => encodeResult(item, base64));
  if (value instanceof Error) return value.message;
  return value ?? null;
}

function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === "ReplyError";
}

function toOutcome(error: Error | null, result: unknown, base64: boolean): ItemOutcome {
  if (error === null) return { result: encodeResult(result, base64) };
  if (isReplyError(error)) return { error: error.message };
  throw error;
}

async function runSingle(client: Redis, [name, ...args]: Command, base64: boolean): Promise<ItemOutcome> {
  try {
    return toOutcome(null, await client.callBuffer(name, ...args), base64);
  } catch (error) {
    return toOutcome(error instanceof Error ? error : new Error(String(error)), null, base64);
  }
}

async function runBatch(client: Redis, commands: Command[], atomic: boolean, base64: boolean) {
  const batch = atomic ? client.multi() : client.pipeline();
  for (const [name, ...args] of commands) batch.callBuffer(name, ...args);
  const replies = await batch.exec();
  if (replies === null) throw new HttpError(400, "EXECABORT transaction aborted");
  return replies.map(([error, result]) => toOutcome(error, result, base64));
}

/** Gives the very first connection a moment; after an outage, requests fail fast instead. */
async function whenFirstConnected(client: Redis): Promise<void> {
  if (client.status !== "connecting" && client.status !== "connect") return;
  await once(client, "ready", { signal: AbortSignal.timeout(READY_WAIT_MS) }).catch(() => undefined);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const type = typeof body === "string" ? "text/plain; charset=utf-8" : "application/json";
  response.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text) });
  response.end(text);
}

function watchConnection(client: Redis, log: (line: string) => void): void {
  let lost = false;
  client.on("error", (error: Error) => {
    if (lost) return;
    lost = true;
    log(`redis unreachable: ${error.message}`);
  });
  client.on("ready", () => {
    if (lost) log("redis connection restored");
    lost = false;
  });
}

/**
 * Starts an HTTP server that speaks the Upstash REST protocol in front of a real Redis.
 *
 * @example
 * const bridge = await startBridge({ port: 0, redisUrl: "redis://127.0.0.1:6379", token: "dev-token" });
 * const redis = new Redis({ url: bridge.url, token: "dev-token" }); // from @upstash/redis
 * await redis.set("greeting", "hello");
 * await bridge.close();
 */
export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const host = options.host ?? "127.0.0.1";
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const tokenDigest = sha256(options.token);
  /** What clients sent so far, for `GET /stats` (benchmarks count a request's round trips with it). */
  const stats = { requests: 0, pipelines: 0, commands: 0 };
  const client = new Redis(options.redisUrl, {
    protocol: 2,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  watchConnection(client, options.log ?? (() => {}));

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://bridge").pathname;
    if (request.method === "GET" && path === "/") return send(response, 200, WELCOME);
    if (request.method === "GET" && path === "/stats") {
      checkAuthorization(request.headers.authorization, tokenDigest);
      return send(response, 200, stats);
    }
    const route = ROUTES[path];
    if (request.method !== "POST" || route === undefined)
      return send(response, 404, { error: "Endpoint not found" });
    checkAuthorization(request.headers.authorization, tokenDigest);
    const commands = parseBody(await readBody(request, maxBodyBytes), route !== "single");
    const base64 = String(request.headers["upstash-encoding"]).toLowerCase() === "base64";
    stats.requests++;
    stats.commands += commands.length;
    if (route !== "single") stats.pipelines++;
    await whenFirstConnected(client);
    if (route === "single") {
      const outcome = await runSingle(client, commands[0] as Command, base64);
      return send(response, "error" in outcome ? 400 : 200, outcome);
    }
    send(response, 200, await runBatch(client, commands, route === "multi-exec", base64));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof HttpError) return send(response, error.status, { error: error.message });
      if (isReplyError(error)) return send(response, 400, { error: error.message });
      send(response, 500, { error: "Unable to connect to the Redis server" });
    });
  });
  server.listen(options.port, host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    close: async () => {
      client.disconnect();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: process.env.PORT ?? "8079" },
      host: { type: "string", default: process.env.HOST ?? "127.0.0.1" },
      redis: { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
    },
  });
  const token = process.env.UPSTASH_REDIS_REST_TOKEN;
  if (!token) throw new Error("Set UPSTASH_REDIS_REST_TOKEN to the token clients must send");
  const bridge = await startBridge({
    port: Number(values.port),
    host: values.host,
    redisUrl: values.redis,
    token,
    log: (line) => console.error(`[redis-rest-bridge] ${line}`),
  });
  console.log(`[redis-rest-bridge] listening on ${bridge.url}, forwarding to ${new URL(values.redis).host}`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void bridge.close().then(() => process.exit(0)));
  }
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error(`[redis-rest-bridge] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
