import type { Analyzer } from "../analysis";
import type { ChatStore } from "../cache/types";
import type { Memory } from "../memory";
import type { Completion, CompletionEnd, CompletionRequest, Provider, StreamEvent } from "../providers/types";
import type { RoomPublisher } from "../rooms/publisher";
import { type Attributes, active, type Span, SpanKind, spanForCalls, timed, traced } from "./trace";

/**
 * Wraps the outside services so that each call made for a traced request is a span of its trace:
 * every provider attempt (GenAI semantic conventions), analysis, cache writes and room publishes.
 * Outside a traced request the wrappers only call through. A provider attempt's upstream calls find
 * its span by the try's abort signal (the chain gives each try its own), not by an async context.
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
  const open = (request: CompletionRequest): Span | undefined => {
    const current = active();
    if (!current) return undefined;
    const span = current.trace.start(
      `chat ${request.model ?? provider.defaultModel}`,
      requestAttributes(request),
      SpanKind.client,
      current.span.record.spanId,
    );
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
      const span = open(request);
      if (!span) return provider.complete(request, signal);
      spanForCalls(signal, span);
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
      const span = open(request);
      if (!span) return provider.stream(request, signal);
      spanForCalls(signal, span);
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

export function tracedAnalyzer(analyzer: Analyzer): Analyzer {
  return {
    primary: analyzer.primary,
    analyze: (text, options) =>
      timed("neon_nexus.analysis", { "neon_nexus.analyzer": analyzer.primary }, async (span) => {
        const metrics = await analyzer.analyze(text, options);
        span?.set({
          "neon_nexus.analysis.source": metrics.source,
          "neon_nexus.human_likeness_score": metrics.human_likeness_score,
          "neon_nexus.is_ai_generated": metrics.is_ai_generated,
        });
        return metrics;
      }),
  };
}

/**
 * `target` with each of `methods` run in a span `<prefix> <method>` under the active one: the chat
 * store (`cache …`), the rooms (`room …`) and memory (`memory …`). `nests`: the calls make spans or
 * send a `traceparent` of their own (memory's embedder calls), so their span is made the active one.
 */
function tracedMethods<T extends object>(
  target: T,
  prefix: string,
  attributes: Attributes,
  methods: ReadonlyArray<keyof T & string>,
  nests = false,
): T {
  const wrapped = { ...target } as Record<string, unknown>;
  const span = nests ? traced : timed;
  for (const name of methods) {
    const method = target[name] as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = (...args: unknown[]) =>
      span(`${prefix} ${name}`, attributes, () => method.apply(target, args));
  }
  return wrapped as T;
}

export const tracedStore = (store: ChatStore) =>
  tracedMethods(store, "cache", { "db.system.name": "redis" }, [
    "loadHistory",
    "readOwnedConversation",
    "saveExchange",
    "saveMetrics",
    "getAnalysis",
  ]);

export const tracedRooms = (rooms: RoomPublisher) => tracedMethods(rooms, "room", {}, ["publish"]);

export const tracedMemory = (memory: Memory) =>
  tracedMethods(memory, "memory", { "db.system.name": "postgresql" }, ["lookup", "recall", "remember"], true);
