import type { StreamFormat } from "../chat/stream";
import type { ApiError } from "../lib/errors";
import type { ChatResponse } from "../schemas/chat";
import type { PartialMetricsEvent } from "../schemas/partial-metrics";
import { toOpenAIErrorBody } from "./errors";
import { completionHeader, extensionOf, toFinishReason, toWireUsage } from "./map";
import type { OpenAIChatCompletionChunk } from "./schemas";

/**
 * Writes one streamed answer as OpenAI's `chat.completion.chunk` Server-Sent Events: a role chunk,
 * a chunk per delta, the finish chunk, then the metrics chunk (empty `choices`, metrics under
 * `neon_nexus`), the usage chunk when asked for, and `data: [DONE]`. Every chunk shares the id,
 * `created` and model (the one asked for, as the stream starts before the provider names it). A failure after the start is a `data: {"error": …}` event, which OpenAI
 * SDKs raise as an API error.
 *
 * @example
 * const chunks = openAIChunks({ id: messageId, provider: "groq", model, startedAt }, { includeUsage: true });
 * write(chunks.start());
 * write(chunks.delta("Hel"));
 * for (const event of chunks.done(answer, "stop")) write(event);
 */
export function openAIChunks(
  answer: { id: string; provider: string; model: string; startedAt: number },
  options: { includeUsage: boolean },
): StreamFormat {
  const header = completionHeader(answer);
  const chunk = (fields: Pick<OpenAIChatCompletionChunk, "choices"> & Partial<OpenAIChatCompletionChunk>) =>
    event({ ...header, object: "chat.completion.chunk", ...fields });
  const choice = (
    delta: OpenAIChatCompletionChunk["choices"][number]["delta"],
    finishReason: string | null,
  ) => [
    {
      index: 0,
      delta,
      finish_reason: finishReason === null ? null : toFinishReason(finishReason),
      logprobs: null,
    },
  ];

  return {
    start: () => chunk({ choices: choice({ role: "assistant", content: "" }, null) }),
    delta: (text: string) => chunk({ choices: choice({ content: text }, null) }),
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
    /** The score so far, as an extension chunk with empty `choices` (OpenAI clients skip it). */
    partial: (partial: PartialMetricsEvent) => chunk({ choices: [], neon_nexus: { partial } }),
    /** The finish, metrics and usage chunks and `[DONE]`, once the answer is complete. */
    done(final: ChatResponse, finishReason: string | null): string[] {
      const events = [
        chunk({ choices: choice({}, finishReason ?? "stop") }),
        chunk({ choices: [], neon_nexus: extensionOf(final) }),
      ];
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
