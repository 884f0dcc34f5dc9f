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
    this.traceId = valid ? (parent[1] as string) : randomTraceId();
    this.sampled = valid ? (Number.parseInt(parent[3] as string, 16) & 1) === 1 : true;
    this.root = this.start(name, attributes, SpanKind.server, valid ? (parent[2] as string) : undefined);
  }

  /** Starts a span under `parent` (the root by default). */
  start(name: string, attributes: Attributes, kind: number = SpanKind.internal, parentSpanId?: string): Span {
    const record: SpanRecord = {
      spanId: randomSpanId(),
      ...(parentSpanId ? { parentSpanId } : {}),
      name,
      kind,
      startMs: now(),
      attributes,
      status: { code: 0 },
    };
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

function randomTraceId(): string {
  let hex = "";
  for (const word of crypto.getRandomValues(new Uint32Array(4))) hex += word.toString(16).padStart(8, "0");
  return hex;
}

/** Span ids need only be unique within their trace: no cryptographic randomness (cheaper per span). */
function randomSpanId(): string {
  const word = () => ((Math.random() * 0x100000000) >>> 0).toString(16).padStart(8, "0");
  return word() + word();
}

/** `headers` (a plain object, as the providers write them) plus the active span's `traceparent`, so the next hop joins this request's trace. */
export function withTraceparent(
  headers: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const current = active();
  return current ? { ...headers, traceparent: current.span.traceparent() } : headers;
}
