import { describe, expect, it } from "vitest";
import type { Provider } from "../../../src/providers/types";
import { tracedProvider } from "../../../src/telemetry/instrument";
import { encodeTraces } from "../../../src/telemetry/otlp";
import { Trace, traceSignal } from "../../../src/telemetry/trace";

const provider: Provider<"groq"> = {
  name: "groq",
  defaultModel: "openai/gpt-oss-20b",
  complete: async () => ({
    text: "The reply",
    model: "openai/gpt-oss-20b",
    usage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 },
    finishReason: "stop",
  }),
  async *stream() {
    yield { type: "delta" as const, text: "The " };
    yield { type: "delta" as const, text: "reply" };
    yield { type: "end" as const, model: "openai/gpt-oss-20b", usage: null, finishReason: "stop" };
  },
  listModels: async () => [],
};
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Array<{ key: string; value: unknown }>;
  status: { code: number };
}
interface OtlpRequest {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: unknown }> };
    scopeSpans: Array<{ scope: { name: string; version: string }; spans: OtlpSpan[] }>;
  }>;
}

const request = { messages: [{ role: "user" as const, content: "The question" }], maxTokensCap: 100 };

describe("provider attempt spans", () => {
  it("carry no message text by default, and the messages with OTEL_CAPTURE_CONTENT", async () => {
    for (const capture of [false, true]) {
      const trace = new Trace("POST /chat", {});
      const traced = tracedProvider(provider, capture);
      const signal = new AbortController().signal;
      traceSignal(signal, trace);
      await traced.complete(request, signal);
      for await (const _ of traced.stream(request, signal));
      const attempts = trace.spans.filter((span) => span.kind === 3);
      expect(attempts).toHaveLength(2);
      const text = JSON.stringify(attempts);
      expect(text.includes("The question"), `capture ${capture}`).toBe(capture);
      expect(text.includes("The reply"), `capture ${capture}`).toBe(capture);
      expect(attempts[1]?.attributes["gen_ai.output.messages"]).toBe(
        capture ? JSON.stringify([{ role: "assistant", content: "The reply" }]) : undefined,
      );
    }
  });
});

describe("the OTLP JSON encoding", () => {
  it("writes ids in hex, times as nanosecond strings, integers as strings and arrays as arrays", () => {
    const trace = new Trace("POST /chat", { count: 3, ratio: 0.5, flag: true, reasons: ["stop"] });
    trace.root.end();
    const encoded = JSON.parse(
      encodeTraces([trace], { "service.name": "svc" }, { name: "neon-nexus", version: "1" }),
    ) as OtlpRequest;
    const span = encoded.resourceSpans[0]?.scopeSpans[0]?.spans[0];
    expect(span?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span?.startTimeUnixNano).toMatch(/^\d{19}$/);
    expect(span?.attributes).toEqual([
      { key: "count", value: { intValue: "3" } },
      { key: "ratio", value: { doubleValue: 0.5 } },
      { key: "flag", value: { boolValue: true } },
      { key: "reasons", value: { arrayValue: { values: [{ stringValue: "stop" }] } } },
    ]);
    expect(encoded.resourceSpans[0]?.resource.attributes).toEqual([
      { key: "service.name", value: { stringValue: "svc" } },
    ]);
  });

  it("escapes names and values, and writes fractional milliseconds and children with their parent", () => {
    const trace = new Trace('POST "/chat"', { 'a"\nkey': 'line\nbreak "quoted"', half: 1.5 });
    const child = trace.start(
      "cache saveExchange",
      { "db.system.name": "redis" },
      1,
      trace.root.record.spanId,
    );
    child.record.startMs = 1_700_000_000_000.25;
    child.end();
    trace.root.end();
    const encoded = JSON.parse(
      encodeTraces([trace], {}, { name: "neon-nexus", version: "1" }),
    ) as OtlpRequest;
    const [root, span] = encoded.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    expect(root?.name).toBe('POST "/chat"');
    expect(root?.attributes).toEqual([
      { key: 'a"\nkey', value: { stringValue: 'line\nbreak "quoted"' } },
      { key: "half", value: { doubleValue: 1.5 } },
    ]);
    expect(root?.parentSpanId).toBeUndefined();
    expect(span?.parentSpanId).toBe(root?.spanId);
    expect(span?.startTimeUnixNano).toBe("1700000000000250000");
    expect(span?.status).toEqual({ code: 0 });
  });

  it("joins a valid incoming traceparent and ignores a malformed one", () => {
    const joined = new Trace("GET /", {}, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    expect(joined.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(joined.root.record.parentSpanId).toBe("00f067aa0ba902b7");
    const fresh = new Trace("GET /", {}, "00-00000000000000000000000000000000-00f067aa0ba902b7-01");
    expect(fresh.traceId).not.toBe("00000000000000000000000000000000");
    expect(fresh.root.record.parentSpanId).toBeUndefined();
  });
});
