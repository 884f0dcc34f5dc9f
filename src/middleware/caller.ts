import type { Context } from "hono";
import type { AppEnv } from "../types";

/** The client's address as Cloudflare reports it (not spoofable behind Cloudflare), or `unknown`. */
export function clientAddress(c: Context<AppEnv>): string {
  const address = c.req.header("cf-connecting-ip")?.trim() ?? "";
  return /^[0-9a-fA-F:.]{2,45}$/.test(address) ? address : "unknown";
}

/** Who a budget or an audit line is about: the API key's name, else the client address. */
export function callerIdentity(c: Context<AppEnv>): string {
  const keyName = c.get("facts")?.keyName;
  return keyName ? `key:${keyName}` : `ip:${clientAddress(c)}`;
}

/** Hands `work` to `waitUntil` so it outlives the response; runs it unattended where there is none. */
export function runAfterResponse(c: Context<AppEnv>, work: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    void work;
  }
}
