import type { Analyzer } from "../analysis";
import type { ChatStore } from "../cache/types";
import type { Memory } from "../memory";
import type { Completion, CompletionEnd, CompletionRequest, Provider, StreamEvent } from "../providers/types";
import type { RoomPublisher } from "../rooms/publisher";
import { type Attributes, type Span, SpanKind, spanForCalls, type Trace, timed, traceOf } from "./trace";

/**
 * Makes each provider attempt of a traced request a span of its trace (GenAI semantic conventions).
 * The provider is wrapped once per isolate, so the attempt finds its trace by the try's abort
 * signal (made from the request's, see `inheritTrace`) and hands its span to the upstream call the
 * same way (`traceparent`); outside a traced request the wrapper only calls through.
 */
export function tracedProvider<P extends Provider>(provider: P, captureContent: boolean): P {
  const requestAttributes = (request: CompletionRequest): Attributes => ({
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": provider.name,
    "gen_ai.request.model": request.model ?? provider.defaultModel,
    "gen_ai.request.max_tokens": request.maxTokens ?? request.maxTokensCap,
    "gen_ai.request.temperature": request.temperature,
    ...(captureContent ? { "gen_ai.input.messages": JSON.stringify(request.messages) } : {}),
  });
  const open = (request: CompletionRequest, signal: AbortSignal): Span | undefined => {
    const trace = traceOf(signal);
    if (!trace) return undefined;
    const span = trace.start(
      `chat ${request.model ?? provider.defaultModel}`,
      requestAttributes(request),
      SpanKind.client,
      trace.root.record.spanId,
    );
    spanForCalls(signal, span);
    return span;
  };
  const answered = (span: Span, end: CompletionEnd, text: string | undefined) => {
    span.trace.served = span;
    span.end({
      "gen_ai.response.model": end.model,
      "gen_ai.response.finish_reasons": end.finishReason ? [end.finishReason] : undefined,
      "gen_ai.usage.input_tokens": end.usage?.promptTokens,
      "gen_ai.usage.output_tokens": end.usage?.completionTokens,
      "gen_ai.usage.cache_read.input_tokens": end.usage?.cachedTokens,
      "neon_nexus.usage.reasoning_tokens": end.usage?.reasoningTokens,
      ...(captureContent && text !== undefined
        ? { "gen_ai.output.messages": JSON.stringify([{ role: "assistant", content: text }]) }
        : {}),
    });
  };
  const failed = (span: Span, error: unknown) =>
    span.fail((error as { kind?: string }).kind ?? (error instanceof Error ? error.name : "error"));

  return {
    ...provider,
    complete(request: CompletionRequest, signal: AbortSignal): Promise<Completion> {
      const span = open(request, signal);
      if (!span) return provider.complete(request, signal);
      return provider.complete(request, signal).then(
        (completion) => {
          answered(span, completion, completion.text);
          return completion;
        },
        (error: unknown) => {
          failed(span, error);
          throw error;
        },
      );
    },
    stream(request: CompletionRequest, signal: AbortSignal): AsyncIterable<StreamEvent> {
      const span = open(request, signal);
      if (!span) return provider.stream(request, signal);
      const inner = provider.stream(request, signal)[Symbol.asyncIterator]();
      let text = captureContent ? "" : undefined;
      const iterator: AsyncIterator<StreamEvent> = {
        async next() {
          try {
            const result = await inner.next();
            if (!result.done && result.value.type === "delta" && text !== undefined)
              text += result.value.text;
            if (!result.done && result.value.type === "end") answered(span, result.value, text);
            return result;
          } catch (error) {
            failed(span, error);
            throw error;
          }
        },
        async return(value?: unknown) {
          if (span.record.endMs === undefined) span.fail("cancelled");
          return (await inner.return?.(value)) ?? { done: true, value: undefined };
        },
      };
      return { [Symbol.asyncIterator]: () => iterator };
    },
  };
}

/** The services a request's spans come from besides the providers. */
interface TracedParts {
  store: ChatStore;
  analyzer: Analyzer;
  rooms: RoomPublisher | undefined;
  memory: Memory | undefined;
  telemetry: object;
}

/**
 * `services` for one traced request, `telemetry.trace` its trace: each call it makes to the cache (`cache …`), the analyzer
 * (`neon_nexus.analysis`), the rooms (`room …`) and memory (`memory …`) is a span under the
 * request's root. Made per request, so the trace travels with the services the request was given
 * (`c.get("services")`) rather than in an async context.
 *
 * @example
 * c.set("services", withTrace(c.get("services"), trace));
 */
export function withTrace<S extends TracedParts>(services: S, trace: Trace): S {
  const { store, analyzer, rooms, memory, telemetry } = services;
  return {
    ...services,
    telemetry: { ...telemetry, trace },
    store: tracedMethods(trace, store, "cache", { "db.system.name": "redis" }, [
      "loadHistory",
      "readOwnedConversation",
      "saveExchange",
      "saveMetrics",
      "getAnalysis",
    ]),
    analyzer: tracedAnalyzer(trace, analyzer),
    rooms: rooms && tracedMethods(trace, rooms, "room", {}, ["publish"]),
    memory:
      memory &&
      tracedMethods(trace, memory, "memory", { "db.system.name": "postgresql" }, [
        "lookup",
        "recall",
        "remember",
      ]),
  };
}

function tracedAnalyzer(trace: Trace, analyzer: Analyzer): Analyzer {
  return {
    primary: analyzer.primary,
    analyze: (text, options) =>
      timed(trace, "neon_nexus.analysis", { "neon_nexus.analyzer": analyzer.primary }, async (span) => {
        const metrics = await analyzer.analyze(text, options);
        span.set({
          "neon_nexus.analysis.source": metrics.source,
          "neon_nexus.human_likeness_score": metrics.human_likeness_score,
          "neon_nexus.is_ai_generated": metrics.is_ai_generated,
        });
        return metrics;
      }),
  };
}

/** `target` with each of `methods` run in a span `<prefix> <method>` of `trace`. */
function tracedMethods<T extends object>(
  trace: Trace,
  target: T,
  prefix: string,
  attributes: Attributes,
  methods: ReadonlyArray<keyof T & string>,
): T {
  const wrapped = Object.create(target) as Record<string, unknown>;
  for (const name of methods) {
    const method = target[name] as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = (...args: unknown[]) =>
      timed(trace, `${prefix} ${name}`, attributes, () => method.apply(target, args));
  }
  return wrapped as T;
}
