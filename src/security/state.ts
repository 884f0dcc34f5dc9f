import type { Redis } from "@upstash/redis";
import { secretsOf } from "../config";
import type { Services } from "../services";
import { type AuditTrail, createMemoryAuditTrail, createRedisAuditTrail } from "./audit-trail";
import { createMemoryLimiter, type RateLimiter } from "./sliding-window";

/** What the security middleware keeps per isolate, next to the services it was built from. */
export interface SecurityState {
  trail: AuditTrail;
  /** Caps audit writes per event type and client, so a flood of bad requests cannot flood the trail. */
  auditThrottle: RateLimiter;
  limiters: Map<string, RateLimiter>;
  secrets: readonly string[];
  redis: Redis | undefined;
}

const AUDIT_WRITES_PER_MINUTE = 30;
const states = new WeakMap<Services, SecurityState>();

/** The isolate's security state for `services`, built on first use. */
export function securityFor(services: Services): SecurityState {
  let state = states.get(services);
  if (!state) {
    const redis = services.store.redis;
    const maxEvents = services.config.audit.maxEvents;
    state = {
      trail: redis ? createRedisAuditTrail(redis, { maxEvents }) : createMemoryAuditTrail({ maxEvents }),
      auditThrottle: createMemoryLimiter({ limit: AUDIT_WRITES_PER_MINUTE, windowMs: 60_000 }),
      limiters: new Map(),
      secrets: secretsOf(services.config).filter((secret) => secret.length >= 4),
      redis,
    };
    states.set(services, state);
  }
  return state;
}

/** Replaces every configured secret in `text` with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.replaceAll(secret, "[redacted]");
  return result;
}
