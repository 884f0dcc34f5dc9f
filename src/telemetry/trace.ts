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
 * when it sent one) and the spans of the work it led to ({@link Trace.start}, {@link timed}).
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

/** The trace of the request each client signal (`c.req.raw.signal`) and each try's signal made from it belongs to. */
const traceOfSignal = new WeakMap<AbortSignal, Trace>();

/** Makes `trace` the trace of the work done with `signal` (the request's) or a signal made from it. */
export function traceSignal(signal: AbortSignal, trace: Trace): void {
  traceOfSignal.set(signal, trace);
}

/** `child`, made from `parent` (a provider try's signal from the client's), belongs to `parent`'s trace. */
export function inheritTrace(child: AbortSignal, parent: AbortSignal): void {
  const trace = traceOfSignal.get(parent);
  if (trace) traceOfSignal.set(child, trace);
}

/** The trace the work done with `signal` belongs to, if its request is traced. */
export function traceOf(signal: AbortSignal): Trace | undefined {
  return traceOfSignal.get(signal);
}

/**
 * Runs `work` in a span of its own under `trace`'s root; the span ends when the work settles,
 * failed if it threw.
 *
 * @example
 * const history = await timed(trace, "cache loadHistory", { "db.system.name": "redis" }, () => store.loadHistory(id));
 */
export async function timed<T>(
  trace: Trace,
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const span = trace.start(name, attributes, SpanKind.internal, trace.root.record.spanId);
  try {
    const result = await work(span);
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
 * attempt `signal` belongs to, so the next hop joins this request's trace.
 */
export function withTraceparent(
  headers: Record<string, string> | undefined,
  signal: AbortSignal,
): Record<string, string> | undefined {
  const span = attemptOfSignal.get(signal);
  return span ? { ...headers, traceparent: span.traceparent() } : headers;
}
