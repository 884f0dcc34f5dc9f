/// <reference path="./async-hooks.d.ts" />
import { AsyncLocalStorage } from "node:async_hooks";

export type AttributeValue = string | number | boolean | string[];
export type Attributes = Record<string, AttributeValue | undefined>;

/** OTLP's span kinds. */
export const SpanKind = { internal: 1, server: 2, client: 3 } as const;

/** One span as recorded; times in milliseconds since the epoch (fractions allowed). */
export interface SpanRecord {
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startMs: number;
  endMs?: number;
  attributes: Attributes;
  /** OTLP status: 0 unset, 1 ok, 2 error. */
  status: { code: 0 | 1 | 2; message?: string };
}

/** A span being recorded. */
export class Span {
  constructor(
    readonly trace: Trace,
    readonly record: SpanRecord,
  ) {}

  set(attributes: Attributes): this {
    Object.assign(this.record.attributes, attributes);
    return this;
  }

  /** Ends the span (again: moves its end, say when a stream it opened has finished). */
  end(attributes?: Attributes): void {
    if (attributes) this.set(attributes);
    this.record.endMs = now();
  }

  fail(errorType: string): void {
    this.record.status = { code: 2 };
    this.end({ "error.type": errorType });
  }

  /** W3C `traceparent` naming this span as the parent of the next hop. */
  traceparent(): string {
    return `00-${this.trace.traceId}-${this.record.spanId}-${this.trace.sampled ? "01" : "00"}`;
  }
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The spans of one request: a root span (the incoming request, child of the caller's `traceparent`
 * when it sent one) and the spans of the work it led to, through {@link startSpan}.
 */
export class Trace {
  readonly traceId: string;
  readonly sampled: boolean;
  readonly root: Span;
  readonly spans: SpanRecord[] = [];
  /** The provider attempt that answered, annotated with the usage once the answer is complete. */
  served: Span | undefined;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(name: string, attributes: Attributes, traceparent?: string | null) {
    const parent = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null;
    const valid = parent && !/^0+$/.test(parent[1] as string) && !/^0+$/.test(parent[2] as string);
    this.traceId = valid ? (parent[1] as string) : randomHex(16);
    this.sampled = valid ? (Number.parseInt(parent[3] as string, 16) & 1) === 1 : true;
    this.root = this.start(name, attributes, SpanKind.server, valid ? (parent[2] as string) : undefined);
  }

  /** Starts a span under `parent` (the root by default). */
  start(name: string, attributes: Attributes, kind: number = SpanKind.internal, parentSpanId?: string): Span {
    const record: SpanRecord = {
      spanId: randomHex(8),
      name,
      kind,
      startMs: now(),
      attributes,
      status: { code: 0 },
    };
    if (parentSpanId) record.parentSpanId = parentSpanId;
    this.spans.push(record);
    return new Span(this, record);
  }

  /** Work that outlives the response (`waitUntil`): the trace is exported once it has settled. */
  track(work: Promise<unknown>): void {
    this.pending.add(work);
    const done = () => this.pending.delete(work);
    work.then(done, done);
  }

  /** Settles once every tracked piece of work has, including work started by work. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

interface Active {
  trace: Trace;
  span: Span;
}

const storage = new AsyncLocalStorage<Active>();

/** The trace and span of the work running now, if it belongs to a traced request. */
export function active(): Active | undefined {
  return storage.getStore();
}

/** Runs `work` with `span` as the active span (what {@link startSpan} nests under and `traceparent` names). */
export function runInSpan<T>(span: Span, work: () => T): T {
  return storage.run({ trace: span.trace, span }, work);
}

/** Starts a span under the active one; undefined outside a traced request. */
export function startSpan(name: string, attributes: Attributes, kind?: number): Span | undefined {
  const current = active();
  return current?.trace.start(name, attributes, kind, current.span.record.spanId);
}

/**
 * Runs `work` in a span of its own under the active one (and just runs it outside a traced request);
 * the span ends when the work settles, failed if it threw.
 *
 * @example
 * const history = await traced("cache.load_history", { "db.system.name": "redis" }, () => store.loadHistory(id));
 */
export function traced<T>(
  name: string,
  attributes: Attributes,
  work: (span?: Span) => Promise<T>,
): Promise<T> {
  const span = startSpan(name, attributes);
  return span ? inSpan(span, work) : work();
}

/**
 * Like {@link traced}, for work that starts no spans and sends no `traceparent` of its own (a
 * cache or room call): its span is not made the active one, which spares an async context per call.
 */
export async function timed<T>(
  name: string,
  attributes: Attributes,
  work: (span?: Span) => Promise<T>,
): Promise<T> {
  const span = startSpan(name, attributes);
  if (!span) return work();
  try {
    const result = await work(span);
    span.end();
    return result;
  } catch (error) {
    span.fail(error instanceof Error ? error.name : "error");
    throw error;
  }
}

async function inSpan<T>(span: Span, work: (span?: Span) => Promise<T>): Promise<T> {
  try {
    const result = await runInSpan(span, () => work(span));
    span.end();
    return result;
  } catch (error) {
    span.fail(error instanceof Error ? error.name : "error");
    throw error;
  }
}

/** Workers' clocks advance with I/O, not with CPU work: spans measure waiting, which is what matters here. */
function now(): number {
  return Date.now();
}

let hexOf: string[] | undefined;
/** Random bytes drawn 4 KiB at a time: one `getRandomValues` call serves about 150 traces' ids. */
const pool = new Uint8Array(4096);
let poolAt = pool.length;

/** `bytes` random bytes in hex, for trace (16) and span (8) ids. */
function randomHex(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  hexOf ??= Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
  let hex = "";
  for (let end = poolAt + bytes; poolAt < end; poolAt++) hex += hexOf[pool[poolAt] as number];
  return hex;
}

/** The provider attempt an upstream call is made for, by the abort signal of its try (one per try). */
const attemptOfSignal = new WeakMap<AbortSignal, Span>();

/** Marks the calls made with `signal` as `span`'s: their `traceparent` names it (see {@link withTraceparent}). */
export function spanForCalls(signal: AbortSignal, span: Span): void {
  attemptOfSignal.set(signal, span);
}

/**
 * `headers` (a plain object, as the providers write them) plus the `traceparent` of the provider
 * attempt `signal` belongs to, or else of the active span, so the next hop joins this request's trace.
 */
export function withTraceparent(
  headers: Record<string, string> | undefined,
  signal?: AbortSignal,
): Record<string, string> | undefined {
  const span = (signal && attemptOfSignal.get(signal)) ?? active()?.span;
  return span ? { ...headers, traceparent: span.traceparent() } : headers;
}
