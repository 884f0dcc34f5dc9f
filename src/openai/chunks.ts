import type { StreamFormat } from "../chat/stream";
import type { ApiError } from "../lib/errors";
import type { TokenLogprob } from "../providers/types";
import type { ChatResponse } from "../schemas/chat";
import type { PartialMetricsEvent } from "../schemas/partial-metrics";
import { toOpenAIErrorBody } from "./errors";
import { completionHeader, extensionOf, toFinishReason, toWireUsage } from "./map";
import type { OpenAIChatCompletionChunk } from "./schemas";

/** What a client asked of a stream beyond OpenAI's plain chunks. */
export interface ChunkOptions {
  /** `stream_options.include_usage`: a usage chunk before `[DONE]`, and `usage: null` on the others. */
  includeUsage: boolean;
  /**
   * `stream_options.include_metrics` or `X-Include-Metrics: true`: the extension chunks (empty
   * `choices`, metrics under `neon_nexus`). Off by default: clients that read `chunk.choices[0]`
   * would fail on them.
   */
  includeMetrics: boolean;
}

/**
 * Writes one streamed answer as OpenAI's `chat.completion.chunk` Server-Sent Events: a role chunk,
 * a chunk per delta or tool-call piece, the finish chunk, then — when the client asked — the metrics
 * chunk (empty `choices`, metrics under `neon_nexus`), the usage chunk, and `data: [DONE]`. Every
 * chunk shares the id, `created` and model (the one asked for, as the stream starts before the
 * provider names it); `system_fingerprint` is the provider's, known from the finish chunk on. A
 * failure after the start is a `data: {"error": …}` event, which OpenAI SDKs raise as an API error.
 *
 * @example
 * const chunks = openAIChunks({ id: messageId, provider: "groq", model, startedAt }, { includeUsage: true, includeMetrics: false });
 * write(chunks.start());
 * write(chunks.delta("Hel"));
 * for (const event of chunks.done(answer, { finishReason: "stop" })) write(event);
 */
export function openAIChunks(
  answer: { id: string; provider: string; model: string; startedAt: number },
  options: ChunkOptions,
): StreamFormat {
  const header = completionHeader(answer);
  let fingerprint: string | null = null;
  const chunk = (fields: Pick<OpenAIChatCompletionChunk, "choices"> & Partial<OpenAIChatCompletionChunk>) =>
    event({
      ...header,
      object: "chat.completion.chunk",
      system_fingerprint: fingerprint,
      ...fields,
      ...(options.includeUsage && fields.usage === undefined ? { usage: null } : {}),
    });
  const choice = (
    delta: OpenAIChatCompletionChunk["choices"][number]["delta"],
    finishReason: string | null,
    logprobs?: TokenLogprob[],
  ) => [
    {
      index: 0,
      delta,
      finish_reason: finishReason === null ? null : toFinishReason(finishReason),
      logprobs: logprobs ? { content: logprobs } : null,
    },
  ];

  return {
    start: () => chunk({ choices: choice({ role: "assistant", content: "" }, null) }),
    delta: (text, logprobs) => chunk({ choices: choice({ content: text }, null, logprobs) }),
    toolCall: ({ index, id, name, arguments: args }) =>
      chunk({
        choices: choice(
          {
            tool_calls: [
              id === undefined
                ? { index, function: { arguments: args } }
                : { index, id, type: "function", function: { name: name ?? "", arguments: args } },
            ],
          },
          null,
        ),
      }),
    /** The score so far, as an extension chunk with empty `choices`, when the client asked for them. */
    partial: (partial: PartialMetricsEvent) =>
      options.includeMetrics ? chunk({ choices: [], neon_nexus: { partial } }) : "",
    /** The finish, metrics and usage chunks and `[DONE]`, once the answer is complete. */
    done(final: ChatResponse, end): string[] {
      fingerprint = end.systemFingerprint ?? null;
      const events = [chunk({ choices: choice({}, end.finishReason ?? "stop") })];
      if (options.includeMetrics) events.push(chunk({ choices: [], neon_nexus: extensionOf(final) }));
      if (options.includeUsage) {
        events.push(chunk({ choices: [], usage: final.usage ? toWireUsage(final.usage) : null }));
      }
      events.push(DONE);
      return events;
    },
    error: (error: ApiError) => event(toOpenAIErrorBody(error)),
  };
}

const DONE = "data: [DONE]\n\n";

function event(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}
