import * as z from "zod";
import { lazy } from "../lib/lazy";
import { UsageSchema as WireUsageSchema } from "../providers/openai-compatible/wire";
import { ChatResponseSchema } from "../schemas/chat";
import { IdSchema } from "../schemas/common";
import { PartialMetricsEventSchema } from "../schemas/partial-metrics";

/**
 * OpenAI's Chat Completions wire objects as this API accepts and answers them. Optional request
 * fields also accept `null` (several SDKs send it for "not set"); unknown fields are ignored, as
 * OpenAI ignores them.
 */

/** The longest text one field of a /v1 request may hold: a message, a text part, tool-call arguments, an input to embed. */
export const TEXT_LIMIT = 32_000;

/** A model id as a request names it, on every /v1 route that takes one. */
export const ModelIdSchema = lazy(() => z.string().min(1).max(200));

const TextPartSchema = lazy(() => z.object({ type: z.literal("text"), text: z.string().max(TEXT_LIMIT) }));

const ImagePartSchema = lazy(() =>
  z.object({
    type: z.literal("image_url"),
    image_url: z.object({
      url: z
        .string()
        .regex(/^(https?:\/\/|data:image\/)/, { error: "must be an http(s) URL or a data:image/ URL" }),
      detail: z.enum(["auto", "low", "high"]).optional(),
    }),
  }),
);

/**
 * A string, or an array of parts: text parts everywhere, image parts in user messages. A part of
 * another type is refused where it is, with what would be accepted.
 */
function contentSchema(parts: "text" | "text and image_url") {
  const Part =
    parts === "text" ? TextPartSchema() : z.discriminatedUnion("type", [TextPartSchema(), ImagePartSchema()]);
  const types: readonly string[] = parts === "text" ? ["text"] : ["text", "image_url"];
  const accepted =
    parts === "text" ? 'only text parts ({type: "text", text})' : "only text and image_url parts";
  return z
    .union([
      z.string().max(TEXT_LIMIT),
      z
        .array(z.looseObject({ type: z.string() }))
        .min(1)
        .max(100),
    ])
    .superRefine((content, ctx) => {
      if (typeof content === "string") return;
      content.forEach((part, index) => {
        const parsed = Part.safeParse(part);
        if (parsed.success) return;
        const issue = parsed.error.issues[0];
        ctx.addIssue(
          types.includes(part.type) && issue
            ? { code: "custom", path: [index, ...issue.path], message: issue.message }
            : { code: "custom", path: [index], message: `${accepted} are supported here` },
        );
      });
    })
    .transform(
      (content) =>
        content as
          | string
          | Array<z.infer<ReturnType<typeof TextPartSchema>> | z.infer<ReturnType<typeof ImagePartSchema>>>,
    );
}

const ContentSchema = lazy(() => contentSchema("text"));
const UserContentSchema = lazy(() => contentSchema("text and image_url"));

const ToolCallSchema = lazy(() =>
  z.object({
    id: z.string().min(1).max(128),
    type: z.literal("function"),
    function: z.object({ name: z.string().min(1).max(64), arguments: z.string().max(TEXT_LIMIT) }),
  }),
);

const name = lazy(() => z.string().max(64).nullish());

const OpenAIMessageSchema = lazy(() =>
  z
    .discriminatedUnion(
      "role",
      [
        z.object({ role: z.enum(["system", "developer"]), content: ContentSchema(), name: name() }),
        z.object({ role: z.literal("user"), content: UserContentSchema(), name: name() }),
        z
          .object({
            role: z.literal("assistant"),
            content: ContentSchema().nullish(),
            tool_calls: z.array(ToolCallSchema()).max(128).nullish(),
            refusal: z.string().nullish(),
            name: name(),
          })
          .refine((message) => message.content != null || (message.tool_calls?.length ?? 0) > 0, {
            message: "an assistant message needs content or tool_calls",
            path: ["content"],
          }),
        z.object({
          role: z.literal("tool"),
          content: ContentSchema(),
          tool_call_id: z.string().min(1).max(128),
        }),
      ],
      { error: "role must be system, developer, user, assistant or tool" },
    )
    .meta({ id: "OpenAIMessage" }),
);

const FunctionToolSchema = lazy(() =>
  z.object({
    type: z.literal("function"),
    function: z.object({
      name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "must be 1–64 of A–Z, a–z, 0–9, _ or -" }),
      description: z.string().max(4_096).optional(),
      parameters: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
);

const ResponseFormatSchema = lazy(() =>
  z
    .discriminatedUnion("type", [
      z.object({ type: z.literal("text") }),
      z.object({ type: z.literal("json_object") }),
      z.object({
        type: z.literal("json_schema"),
        json_schema: z.object({
          name: z.string().min(1).max(64),
          description: z.string().optional(),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullish(),
        }),
      }),
    ])
    .meta({ description: "Passed to providers that support it; a 400 from those that do not" }),
);

export const OpenAIChatRequestSchema = lazy(() =>
  z
    .object({
      model: ModelIdSchema().meta({
        description:
          "A model id one provider lists in `GET /v1/models` (it wins), `<provider>/<model>` (e.g. " +
          "`groq/openai/gpt-oss-20b`, `ollama/llama3.2`), or `default` for the configured chain with " +
          "fallback; any other id is a 404 `model_not_found`",
        examples: ["groq/openai/gpt-oss-20b"],
      }),
      messages: z.array(OpenAIMessageSchema()).min(1).max(101),
      stream: z.boolean().nullish(),
      stream_options: z
        .object({ include_usage: z.boolean().nullish(), include_metrics: z.boolean().nullish() })
        .nullish()
        .meta({
          description:
            "include_usage: a chunk with `usage` and empty `choices` before `[DONE]` (the others carry " +
            "`usage: null`); include_metrics: the `neon_nexus` extension chunks (empty `choices`)",
        }),
      temperature: z.number().min(0).max(2).nullish(),
      top_p: z.number().min(0).max(1).nullish(),
      max_tokens: z.number().int().min(1).nullish().meta({ description: "Capped by MAX_TOKENS_CAP" }),
      max_completion_tokens: z
        .number()
        .int()
        .min(1)
        .nullish()
        .meta({ description: "Wins over max_tokens; capped by MAX_TOKENS_CAP" }),
      stop: z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).max(4)]).nullish(),
      seed: z.number().int().nullish(),
      user: z.string().max(256).nullish(),
      n: z.literal(1, { error: "only n=1 is supported" }).nullish(),
      response_format: ResponseFormatSchema().nullish(),
      tools: z.array(FunctionToolSchema()).max(128).nullish(),
      tool_choice: z
        .union([
          z.enum(["none", "auto", "required"]),
          z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
        ])
        .nullish(),
      parallel_tool_calls: z.boolean().nullish(),
      logprobs: z.boolean().nullish(),
      top_logprobs: z.number().int().min(0).max(20).nullish(),
      logit_bias: z.record(z.string().regex(/^\d+$/), z.number().min(-100).max(100)).nullish(),
      reasoning_effort: z.enum(["none", "minimal", "low", "medium", "high"]).nullish(),
      frequency_penalty: z.number().min(-2).max(2).nullish(),
      presence_penalty: z.number().min(-2).max(2).nullish(),
    })
    .meta({ id: "OpenAIChatRequest" }),
);

export type OpenAIChatRequest = z.infer<ReturnType<typeof OpenAIChatRequestSchema>>;
export type OpenAIMessage = z.infer<ReturnType<typeof OpenAIMessageSchema>>;

const OpenAIUsageSchema = lazy(() =>
  WireUsageSchema()
    .extend({
      cost: z
        .number()
        .nonnegative()
        .optional()
        .meta({ description: "Extension: US dollars, from the price table" }),
      estimated: z.boolean().optional().meta({ description: "Extension: no tokens reported; estimated" }),
    })
    .meta({ id: "OpenAIUsage" }),
);
export type OpenAIUsage = z.infer<ReturnType<typeof OpenAIUsageSchema>>;

/** The metrics and ids an OpenAI-shaped answer carries, in one extension field. */
const NeonNexusExtensionSchema = lazy(() =>
  ChatResponseSchema()
    .pick({
      metrics: true,
      metricsStatus: true,
      metricsReason: true,
      conversationId: true,
      cache: true,
      recalled: true,
      provider: true,
    })
    .extend({
      messageId: z
        .string()
        .meta({ description: "Read it again with `GET /messages/{id}` and `/metrics/{id}`" }),
    })
    .meta({
      id: "NeonNexusExtension",
      description:
        "Human-likeness metrics of the reply and the ids to continue the conversation " +
        "(`X-Conversation-Id`) or watch its room",
    }),
);
export type NeonNexusExtension = z.infer<ReturnType<typeof NeonNexusExtensionSchema>>;

/** Each token's log probability, when the request asked for `logprobs`; null otherwise. */
const ChoiceLogprobsSchema = lazy(() =>
  z.object({ content: z.array(z.looseObject({ token: z.string(), logprob: z.number() })) }).nullable(),
);

/** OpenAI's finish reasons: a provider's other ones are answered as `stop` (see `toFinishReason`). */
export const FINISH_REASONS = ["stop", "length", "tool_calls", "content_filter", "function_call"] as const;

const FinishReasonSchema = lazy(() => z.enum(FINISH_REASONS));
export type FinishReason = z.infer<ReturnType<typeof FinishReasonSchema>>;

export const OpenAIChatCompletionSchema = lazy(() =>
  z
    .object({
      id: z.string().meta({ examples: ["chatcmpl-msg_0b7e6c1e-5f2a-4d3b-9a8c-2e4f6a1b3c5d"] }),
      object: z.literal("chat.completion"),
      created: z.number().int().meta({ description: "Unix seconds" }),
      model: z.string().meta({ description: "`<provider>/<model>` that answered" }),
      system_fingerprint: z
        .string()
        .nullable()
        .meta({ description: "The provider's `system_fingerprint`; null where it gives none (Ollama)" }),
      choices: z.array(
        z.object({
          index: z.number().int(),
          message: z.object({
            role: z.literal("assistant"),
            content: z.string().nullable().meta({ description: "null when the reply is only tool calls" }),
            refusal: z.null(),
            tool_calls: z.array(ToolCallSchema()).optional(),
          }),
          finish_reason: FinishReasonSchema(),
          logprobs: ChoiceLogprobsSchema(),
        }),
      ),
      usage: OpenAIUsageSchema().optional(),
      neon_nexus: NeonNexusExtensionSchema(),
    })
    .meta({ id: "OpenAIChatCompletion" }),
);
export type OpenAIChatCompletion = z.infer<ReturnType<typeof OpenAIChatCompletionSchema>>;

export const OpenAIChatCompletionChunkSchema = lazy(() =>
  z
    .object({
      id: z.string(),
      object: z.literal("chat.completion.chunk"),
      created: z.number().int(),
      model: z.string(),
      system_fingerprint: z.string().nullable().meta({
        description: "The provider's, from the finish chunk on; null before, and where it gives none",
      }),
      choices: z.array(
        z.object({
          index: z.number().int(),
          delta: z.object({
            role: z.literal("assistant").optional(),
            content: z.string().optional(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number().int(),
                  id: z.string().optional(),
                  type: z.literal("function").optional(),
                  function: z.object({ name: z.string().optional(), arguments: z.string() }),
                }),
              )
              .optional()
              .meta({
                description:
                  "A piece of each tool call: the first carries `id`, `type` and `function.name`; `arguments` " +
                  "fragments follow as the model writes them",
              }),
          }),
          finish_reason: FinishReasonSchema().nullable(),
          logprobs: ChoiceLogprobsSchema(),
        }),
      ),
      usage: OpenAIUsageSchema().nullable().optional(),
      neon_nexus: z
        .union([NeonNexusExtensionSchema(), z.object({ partial: PartialMetricsEventSchema() })])
        .optional()
        .meta({
          description:
            "Only when asked for (`stream_options.include_metrics: true` or `X-Include-Metrics: true`), only on " +
            "chunks with empty `choices`: `{partial}` every N words while the reply streams, then the final " +
            "metrics chunk after the finish chunk",
        }),
    })
    .meta({ id: "OpenAIChatCompletionChunk" }),
);
export type OpenAIChatCompletionChunk = z.infer<ReturnType<typeof OpenAIChatCompletionChunkSchema>>;

export const OpenAIModelSchema = lazy(() =>
  z
    .object({
      id: z.string().meta({ examples: ["groq/openai/gpt-oss-20b"] }),
      object: z.literal("model"),
      created: z.number().int(),
      owned_by: z.string().meta({ description: "The provider that serves it" }),
    })
    .meta({ id: "OpenAIModel" }),
);

export const OpenAIModelListSchema = lazy(() =>
  z
    .object({
      object: z.literal("list"),
      data: z.array(OpenAIModelSchema()),
      neon_nexus: z
        .object({
          unavailable: z.array(z.object({ provider: z.string(), error: z.string() })).meta({
            description: "Configured providers whose models could not be listed just now, and why",
          }),
        })
        .meta({ description: "What the list leaves out: providers that could not be listed" }),
    })
    .meta({ id: "OpenAIModelList" }),
);
export type OpenAIModelList = z.infer<ReturnType<typeof OpenAIModelListSchema>>;
export type OpenAIModel = z.infer<ReturnType<typeof OpenAIModelSchema>>;

/** `GET /v1/models/{model}`: the id as listed, slashes URL-encoded (`groq%2Fopenai%2Fgpt-oss-20b`). */
export const OpenAIModelParamsSchema = lazy(() =>
  z.object({
    model: ModelIdSchema().meta({ examples: ["groq/openai/gpt-oss-20b"] }),
  }),
);

export const OpenAIErrorSchema = lazy(() =>
  z
    .object({
      error: z.object({
        message: z.string(),
        type: z.string().meta({ examples: ["invalid_request_error", "rate_limit_error"] }),
        code: z.string().nullable().meta({ description: "The same stable code `/chat` answers with" }),
        param: z.string().nullable().meta({ description: "The request field at fault, if one is" }),
      }),
    })
    .meta({ id: "OpenAIError" }),
);
export type OpenAIError = z.infer<ReturnType<typeof OpenAIErrorSchema>>;

/** The headers `/v1/chat/completions` reads (lower-case, as they are matched). */
export const OpenAIChatHeadersSchema = lazy(() =>
  z.object({
    "x-conversation-id": IdSchema()
      .optional()
      .meta({
        description:
          "Continue this conversation kept on the server: send only the new messages. Without it the request stands alone.",
        examples: ["conv_0b7e6c1e-5f2a-4d3b-9a8c-2e4f6a1b3c5d"],
      }),
    "x-include-metrics": z.enum(["true", "false"]).optional().meta({
      description:
        "true: a streamed answer carries the `neon_nexus` extension chunks (as `stream_options.include_metrics`)",
    }),
    "x-metrics": z.enum(["sync", "async", "off"]).default("sync").meta({
      description:
        "sync: score before answering; async: answer first, metrics via room and cache; off: no scoring",
    }),
  }),
);
