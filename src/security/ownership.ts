import type { Context } from "hono";
import { callerOf } from "../middleware/caller";
import type { AppEnv } from "../types";

/**
 * Who stored conversations and messages are bound to: the name of the API key the request came
 * with, or `undefined` when auth is off (local development), where everything stays open.
 * See docs/SECURITY.md, "Ownership".
 */
export function ownerOf(c: Context<AppEnv>): string | undefined {
  return callerOf(c).owner;
}
