import type { Redis } from "@upstash/redis";
import { type AuditEvent, type AuditEventInput, AuditEventSchema, type AuditPage } from "./audit-event";

/** Where security events are kept: a Redis stream, or a ring in this isolate's memory. */
export interface AuditTrail {
  readonly kind: "redis" | "memory";
  append(event: AuditEventInput): Promise<void>;
  /** Newest first; `before` is the id of the last event of the previous page. */
  page(options: { before?: string; limit: number }): Promise<AuditPage>;
}

export const AUDIT_STREAM_KEY = "nexus:audit";

/**
 * A Redis stream capped near `maxEvents` (`XADD … MAXLEN ~`), read newest first with `XREVRANGE`.
 *
 * @example
 * const trail = createRedisAuditTrail(redis, { maxEvents: 10_000 });
 * await trail.append({ type: "auth_failure", ... });
 */
export function createRedisAuditTrail(redis: Redis, options: { maxEvents: number }): AuditTrail {
  return {
    kind: "redis",
    async append(event) {
      await redis.xadd(
        AUDIT_STREAM_KEY,
        "*",
        { event: JSON.stringify(event) },
        { trim: { type: "MAXLEN", threshold: options.maxEvents, comparison: "~" } },
      );
    },
    async page({ before, limit }) {
      const end = before ? `(${before}` : "+";
      const entries = await redis.xrevrange<Record<string, Record<string, unknown>>>(
        AUDIT_STREAM_KEY,
        end,
        "-",
        limit,
      );
      const events = Object.entries(entries ?? {}).flatMap(([id, fields]) => parseStored(id, fields.event));
      return toPage(events, Object.keys(entries ?? {}).length === limit);
    },
  };
}

/** The same contract in memory: the newest `maxEvents` events of this isolate. */
export function createMemoryAuditTrail(options: { maxEvents: number }): AuditTrail {
  const ring: AuditEvent[] = [];
  let lastMs = 0;
  let sequence = 0;
  return {
    kind: "memory",
    async append(event) {
      const now = Date.now();
      sequence = now === lastMs ? sequence + 1 : 0;
      lastMs = Math.max(now, lastMs);
      ring.push({ ...event, id: `${lastMs}-${sequence}` });
      if (ring.length > options.maxEvents) ring.splice(0, ring.length - options.maxEvents);
    },
    async page({ before, limit }) {
      const older = before ? ring.filter((event) => compareStreamIds(event.id, before) < 0) : ring;
      const events = older.slice(-limit).reverse();
      return toPage(events, older.length > limit);
    },
  };
}

function toPage(events: AuditEvent[], more: boolean): AuditPage {
  return { events, nextCursor: more ? (events.at(-1)?.id ?? null) : null };
}

function parseStored(id: string, stored: unknown): AuditEvent[] {
  let value = stored;
  if (typeof stored === "string") {
    try {
      value = JSON.parse(stored);
    } catch {
      return [];
    }
  }
  const parsed = AuditEventSchema().safeParse({ ...(value as object), id });
  return parsed.success ? [parsed.data] : [];
}

/** Orders two `<ms>-<seq>` stream ids. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split("-").map(Number);
  const [bMs = 0, bSeq = 0] = b.split("-").map(Number);
  return aMs === bMs ? aSeq - bSeq : aMs - bMs;
}
