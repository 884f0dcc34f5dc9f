import type { Attributes, AttributeValue, SpanRecord } from "./trace";

/** What the exporter needs to know about one trace. */
export interface TraceBatch {
  traceId: string;
  spans: readonly SpanRecord[];
}

const json = JSON.stringify;

/** One attribute value as OTLP JSON's `AnyValue`. */
function valueJson(value: AttributeValue): string {
  if (typeof value === "string") return `{"stringValue":${json(value)}}`;
  if (typeof value === "boolean") return `{"boolValue":${value}}`;
  if (Array.isArray(value))
    return `{"arrayValue":{"values":[${value.map((item) => `{"stringValue":${json(item)}}`).join(",")}]}}`;
  return Number.isInteger(value) ? `{"intValue":"${value}"}` : `{"doubleValue":${json(value)}}`;
}

/** Attributes as OTLP JSON's `KeyValue` list; undefined ones are left out. */
function attributesJson(attributes: Attributes): string {
  let list = "";
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined) continue;
    list += `${list ? "," : ""}{"key":${json(key)},"value":${valueJson(value)}}`;
  }
  return `[${list}]`;
}

/** Milliseconds (maybe fractional) as OTLP's nanosecond string. */
function nanos(ms: number): string {
  if (Number.isInteger(ms)) return ms === 0 ? "0" : `${ms}000000`;
  return `${BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.round((ms % 1) * 1e6))}`;
}

/** Ids are lower-case hex (ours, or checked against the `traceparent` format): no escaping needed. */
function spanJson(traceId: string, span: SpanRecord): string {
  const parent = span.parentSpanId ? `"parentSpanId":"${span.parentSpanId}",` : "";
  return (
    `{"traceId":"${traceId}","spanId":"${span.spanId}",${parent}"name":${json(span.name)},` +
    `"kind":${span.kind},"startTimeUnixNano":"${nanos(span.startMs)}",` +
    `"endTimeUnixNano":"${nanos(span.endMs ?? span.startMs)}",` +
    `"attributes":${attributesJson(span.attributes)},"status":${json(span.status)}}`
  );
}

/**
 * Traces as an OTLP/HTTP JSON `ExportTraceServiceRequest` (opentelemetry-proto, JSON encoding:
 * hex ids, 64-bit integers as strings, enums as numbers), written as text directly: a batch holds
 * hundreds of traces, and building the object tree first cost as much again in allocation.
 */
export function encodeTraces(
  batches: readonly TraceBatch[],
  resource: Attributes,
  scope: { name: string; version: string },
): string {
  const spans: string[] = [];
  for (const { traceId, spans: records } of batches)
    for (const span of records) spans.push(spanJson(traceId, span));
  return (
    `{"resourceSpans":[{"resource":{"attributes":${attributesJson(resource)}},` +
    `"scopeSpans":[{"scope":${json(scope)},"spans":[${spans.join(",")}]}]}]}`
  );
}

const EXPORT_TIMEOUT_MS = 5_000;
/** How long the first trace of a batch waits for others to join it (in `waitUntil`, after the answer). */
const BATCH_DELAY_MS = 500;
/** Traces held at most while waiting to be sent; beyond it the oldest are dropped. */
const MAX_QUEUED = 512;

export interface OtlpExporterOptions {
  /** The traces URL: `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`. */
  url: string;
  headers: Record<string, string>;
  serviceName: string;
  version: string;
  log: (event: { msg: string } & Record<string, unknown>, level?: "info" | "warn") => void;
}

export interface OtlpExporter {
  /** Queues a finished trace; settles once it has been sent with the others of its batch. Never throws. */
  export(trace: TraceBatch): Promise<void>;
}

/**
 * A small OTLP/HTTP JSON trace exporter: the traces this isolate finishes within `delayMs` of each
 * other go in one request (a busy isolate sends one export per batch, not one per chat); a collector
 * that is down or slow costs a log line, never a request.
 */
export function createOtlpExporter(options: OtlpExporterOptions): OtlpExporter {
  const { url, serviceName, version, log } = options;
  const headers = { ...options.headers, "content-type": "application/json" };
  const resource = { "service.name": serviceName, "service.version": version };
  const scope = { name: "neon-nexus", version };
  let queue: TraceBatch[] = [];
  let batch: Promise<void> | undefined;

  const sendQueued = async () => {
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers,
        body: encodeTraces(batch, resource, scope),
        signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (!response.ok)
        log({ msg: "trace_export_failed", status: response.status, traces: batch.length }, "warn");
    } catch (error) {
      log(
        {
          msg: "trace_export_failed",
          reason: error instanceof Error ? error.name : "error",
          traces: batch.length,
        },
        "warn",
      );
    }
  };

  return {
    export(trace) {
      queue.push(trace);
      if (queue.length > MAX_QUEUED) queue.shift();
      batch ??= new Promise<void>((resolve) => setTimeout(resolve, BATCH_DELAY_MS)).then(() => {
        batch = undefined;
        return sendQueued();
      });
      return batch;
    },
  };
}
