import type { Attributes, AttributeValue, SpanRecord } from "./trace";

/** What the exporter needs to know about one trace. */
export interface TraceBatch {
  traceId: string;
  spans: readonly SpanRecord[];
}

type OtlpValue =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number }
  | { boolValue: boolean }
  | { arrayValue: { values: OtlpValue[] } };

function otlpValue(value: AttributeValue): OtlpValue {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map((item) => ({ stringValue: item })) } };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

function attributesOf(attributes: Attributes) {
  const list: Array<{ key: string; value: OtlpValue }> = [];
  for (const [key, value] of Object.entries(attributes))
    if (value !== undefined) list.push({ key, value: otlpValue(value) });
  return list;
}

/** Milliseconds (maybe fractional) as OTLP's nanosecond string. */
function nanos(ms: number): string {
  if (Number.isInteger(ms)) return ms === 0 ? "0" : `${ms}000000`;
  return `${BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.round((ms % 1) * 1e6))}`;
}

/**
 * Traces as an OTLP/HTTP JSON `ExportTraceServiceRequest` (opentelemetry-proto, JSON encoding:
 * hex ids, 64-bit integers as strings, enums as numbers).
 */
export function encodeTraces(
  batches: readonly TraceBatch[],
  resource: Attributes,
  scope: { name: string; version: string },
) {
  return {
    resourceSpans: [
      {
        resource: { attributes: attributesOf(resource) },
        scopeSpans: [
          {
            scope,
            spans: batches.flatMap(({ traceId, spans }) =>
              spans.map((span) => ({
                traceId,
                spanId: span.spanId,
                ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
                name: span.name,
                kind: span.kind,
                startTimeUnixNano: nanos(span.startMs),
                endTimeUnixNano: nanos(span.endMs ?? span.startMs),
                attributes: attributesOf(span.attributes),
                status: span.status,
              })),
            ),
          },
        ],
      },
    ],
  };
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
        body: JSON.stringify(encodeTraces(batch, resource, scope)),
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
