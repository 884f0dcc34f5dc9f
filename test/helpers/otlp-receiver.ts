import { createServer } from "node:http";
import { readBody } from "./fake-llm";
import { listenOnLoopback } from "./processes";

/** One span as an OTLP/HTTP JSON export carries it, with its attributes read into plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  status: { code: number };
  attributes: Record<string, unknown>;
  serviceName: unknown;
}

export interface OtlpReceiver {
  url: string;
  /** Every span received so far, oldest first. */
  spans(): ReceivedSpan[];
  /** How many export requests arrived. */
  requests(): number;
  close(): Promise<void>;
}

type OtlpAnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values: OtlpAnyValue[] };
};

function plain(value: OtlpAnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return value.arrayValue.values.map(plain);
  return undefined;
}

const attributesOf = (list: Array<{ key: string; value: OtlpAnyValue }> = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, plain(value)]));

/**
 * A local OTLP/HTTP collector: accepts `POST /v1/traces` with JSON `ExportTraceServiceRequest`
 * bodies (opentelemetry-proto's JSON encoding) and decodes their spans.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  let requests = 0;
  const server = createServer(async (req, res) => {
    if (req.method !== "POST" || req.url !== "/v1/traces") {
      res.writeHead(404).end();
      return;
    }
    requests++;
    const body = JSON.parse(await readBody(req)) as {
      resourceSpans: Array<{
        resource: { attributes: Array<{ key: string; value: OtlpAnyValue }> };
        scopeSpans: Array<{
          spans: Array<Omit<ReceivedSpan, "attributes" | "serviceName"> & { attributes: [] }>;
        }>;
      }>;
    };
    for (const resourceSpans of body.resourceSpans) {
      const serviceName = attributesOf(resourceSpans.resource.attributes)["service.name"];
      for (const scope of resourceSpans.scopeSpans)
        for (const span of scope.spans)
          received.push({ ...span, attributes: attributesOf(span.attributes), serviceName });
    }
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, spans: () => [...received], requests: () => requests, close };
}
