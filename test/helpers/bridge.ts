import { randomUUID } from "node:crypto";
import { type BridgeOptions, type RunningBridge, startBridge } from "../../scripts/redis-rest-bridge.ts";
import { type RedisServer, startRedisServer } from "./redis-server.ts";

/** A real redis-server with the Upstash-compatible REST bridge in front of it. */
export interface RedisRestStack {
  redisServer: RedisServer;
  bridge: RunningBridge;
  /** REST base URL and bearer token, as `@upstash/redis` wants them. */
  url: string;
  token: string;
  close(): Promise<void>;
}

/**
 * Starts redis-server and the REST bridge on free ports of 127.0.0.1. Stop both with `close()` in afterAll.
 *
 * @example
 * const stack = await startRedisRestStack();
 * const redis = new Redis({ url: stack.url, token: stack.token });
 */
export async function startRedisRestStack(
  bridgeOptions: Partial<Pick<BridgeOptions, "maxBodyBytes">> = {},
): Promise<RedisRestStack> {
  const redisServer = await startRedisServer();
  const token = `test-${randomUUID()}`;
  const bridge = await startBridge({ port: 0, redisUrl: redisServer.url, token, ...bridgeOptions });
  return {
    redisServer,
    bridge,
    url: bridge.url,
    token,
    close: async () => {
      await bridge.close();
      await redisServer.close();
    },
  };
}
