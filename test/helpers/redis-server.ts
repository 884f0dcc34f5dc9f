import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./processes.ts";

export { freePort };

/** A throwaway `redis-server` child process bound to 127.0.0.1. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops the server; the port and data directory stay reserved for `restart()`. */
  stop(): Promise<void>;
  /** Starts the server again on the same port (empty data: nothing is persisted). */
  restart(): Promise<void>;
  /** Stops the server for good and removes its temp directory. */
  close(): Promise<void>;
}

const READY_LINE = "Ready to accept connections";
const START_TIMEOUT_MS = 10_000;

function spawnRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    process.env.REDIS_SERVER_BIN ?? "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    const settle = (error?: Error) => {
      clearTimeout(timer);
      child.off("error", settle);
      child.off("exit", onEarlyExit);
      child.stdout?.off("data", onOutput);
      child.stdout?.resume();
      if (!error) return resolve(child);
      child.kill("SIGKILL");
      reject(error);
    };
    const onEarlyExit = (code: number | null) =>
      settle(new Error(`redis-server exited with ${code}:\n${output}`));
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY_LINE)) settle();
    };
    const timer = setTimeout(
      () => settle(new Error(`redis-server did not start:\n${output}`)),
      START_TIMEOUT_MS,
    );
    child.on("error", settle);
    child.on("exit", onEarlyExit);
    child.stdout?.on("data", onOutput);
  });
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

/**
 * Starts a real `redis-server` on a free port in a temp dir, without persistence.
 *
 * @example
 * const redis = await startRedisServer();
 * await redis.stop(); // simulate an outage
 * await redis.restart();
 * await redis.close();
 */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), "nn-redis-"));
  let port = await freePort();
  let child: ChildProcess | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      child = await spawnRedis(port, dir);
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      port = await freePort();
    }
  }
  const killOnExit = () => child?.kill("SIGKILL");
  process.once("exit", killOnExit);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await stopProcess(child);
      child = undefined;
    },
    restart: async () => {
      await stopProcess(child);
      child = await spawnRedis(port, dir);
    },
    close: async () => {
      process.off("exit", killOnExit);
      await stopProcess(child);
      child = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
