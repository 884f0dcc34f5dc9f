import { spawn } from "node:child_process";
import { join } from "node:path";
import { startRedisServer } from "../../test/helpers/redis-server.ts";
import { killOnExit } from "./children.ts";
import { freePort, REPO_ROOT, sleep } from "./workerd.ts";

/** A real redis-server behind the Upstash REST bridge (`scripts/redis-rest-bridge.ts`, in its own process). */
export interface RedisStand {
  /** `UPSTASH_REDIS_REST_URL` / `_TOKEN` for a worker. */
  vars: { UPSTASH_REDIS_REST_URL: string; UPSTASH_REDIS_REST_TOKEN: string };
  /** What the bridge has run so far: REST requests (subrequests of the workers), pipelines among them, commands. */
  stats(): Promise<{ requests: number; pipelines: number; commands: number }>;
  stop(): Promise<void>;
}

const TOKEN = "bench-bridge-token-not-a-secret";

/** Starts redis-server on a free port and the REST bridge in front of it, both on 127.0.0.1. */
export async function startRedisStand(): Promise<RedisStand> {
  const redis = await startRedisServer();
  const port = await freePort();
  const bridge = spawn(
    process.execPath,
    [join(REPO_ROOT, "scripts/redis-rest-bridge.ts"), "--port", String(port), "--redis", redis.url],
    { env: { ...process.env, UPSTASH_REDIS_REST_TOKEN: TOKEN }, stdio: ["ignore", "ignore", "pipe"] },
  );
  killOnExit(bridge);
  const exited = new Promise<void>((resolve) => bridge.once("exit", () => resolve()));
  const stop = async () => {
    if (bridge.exitCode === null && bridge.signalCode === null) bridge.kill("SIGTERM");
    await exited;
    await redis.close();
  };
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 50) {
    const ready = await fetch(url).then(
      () => true,
      () => false,
    );
    if (ready) break;
    if (waited > 10_000) {
      await stop();
      throw new Error("the Redis REST bridge did not answer within 10 s");
    }
    await sleep(50);
  }
  const stats = async () => {
    const response = await fetch(`${url}/stats`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return (await response.json()) as { requests: number; pipelines: number; commands: number };
  };
  return { vars: { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: TOKEN }, stats, stop };
}
