import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startFakeEmbedder } from "./fake-embedder";
import { startFakeLlm } from "./fake-llm";
import { startHoldingProxy } from "./holding-proxy";
import { binDir, freePort, repoRoot, stopGroup, waitUntilServing, withFreshPorts } from "./processes";
import { startRedisServer } from "./redis-server";
import { filterWorkerdNetworkNoise } from "./workerd-logs";

declare module "vitest" {
  export interface ProvidedContext {
    fakeLlmUrl: string;
    fakeEmbedderUrl: string;
    /** A real redis-server behind the Upstash-compatible REST bridge, for suites run on both stores. */
    redisRest: { url: string; token: string };
    /** The same bridge behind a proxy that holds a command carrying `hold-<key>` (test/helpers/holding-proxy.ts). */
    redisHoldingUrl: string;
  }
}

/**
 * Starts the fake LLM, and a real redis-server behind the REST bridge, once for the worker tests
 * (they run inside workerd and cannot start servers).
 */
export default async function setup(project: TestProject) {
  const [fake, embedder, redis] = await Promise.all([
    startFakeLlm(),
    startFakeEmbedder(),
    startBridgeProcess(),
  ]);
  project.provide("fakeLlmUrl", fake.url);
  project.provide("fakeEmbedderUrl", embedder.url);
  project.provide("redisRest", { url: redis.url, token: redis.token });
  const holding = await startHoldingProxy(redis.url);
  project.provide("redisHoldingUrl", holding.url);
  const stopFiltering = filterWorkerdNetworkNoise();
  return async () => {
    stopFiltering();
    await Promise.all([fake.close(), embedder.close(), holding.close(), redis.close()]);
  };
}

/**
 * redis-server and the REST bridge, the bridge as its own process (`npm run redis:bridge`): this
 * setup runs under the worker project's module loader, which cannot load the bridge's Redis client.
 */
async function startBridgeProcess() {
  const redisServer = await startRedisServer();
  const bridge = await withFreshPorts(() => spawnBridge(redisServer.url));
  return {
    ...bridge,
    close: async () => {
      await bridge.close();
      await redisServer.close();
    },
  };
}

async function spawnBridge(redisUrl: string) {
  const port = await freePort();
  const token = `worker-tests-${randomUUID()}`;
  const bridge = spawn(
    join(binDir, "node"),
    ["scripts/redis-rest-bridge.ts", "--port", String(port), "--redis", redisUrl],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, UPSTASH_REDIS_REST_TOKEN: token },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    // The bridge greets on GET /; a server that took the port first does not.
    await waitUntilServing(url, bridge, 20_000, async (response) =>
      (await response.text()).includes("Welcome"),
    );
  } catch (error) {
    await stopGroup(bridge);
    throw error;
  }
  return { url, token, close: () => stopGroup(bridge) };
}
