import type { Context } from "hono";
import type { AppEnv } from "../types";

/** The client's address as Cloudflare reports it (not spoofable behind Cloudflare), or `unknown`. */
export function clientAddress(c: Context<AppEnv>): string {
  const address = c.req.header("cf-connecting-ip")?.trim() ?? "";
  return /^[0-9a-fA-F:.]{2,45}$/.test(address) ? address : "unknown";
}

/** Who is calling, read once from the request in one encoding; every other view derives from it. */
export interface Caller {
  /** The name of the API key the request came with, if any. */
  keyName: string | undefined;
  /**
   * Whom stored data (conversations, messages, vectors) is bound to: the key's name, or `undefined`
   * when auth is off (local development), where everything stays open.
   */
  owner: string | undefined;
  /** Whom a rate budget or an audit line is about: `key:<name>`, else `ip:<address>`. */
  identity: string;
}

/**
 * The caller of a request.
 *
 * @example
 * const { owner, identity } = callerOf(c);
 */
export function callerOf(c: Context<AppEnv>): Caller {
  const keyName = c.get("facts")?.keyName;
  return {
    keyName,
    owner: c.get("services").config.auth.disabled ? undefined : keyName,
    identity: identityOf(c, keyName),
  };
}

/** Who a budget or an audit line is about (`Caller.identity`), before services are known. */
export function callerIdentity(c: Context<AppEnv>): string {
  return identityOf(c, c.get("facts")?.keyName);
}

function identityOf(c: Context<AppEnv>, keyName: string | undefined): string {
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
