import * as z from "zod";
import { UsageSchema as WireUsageSchema } from "../providers/openai-compatible/wire";
import { ChatResponseSchema } from "../schemas/chat";
import { IdSchema } from "../schemas/common";
import { PartialMetricsEventSchema } from "../schemas/partial-metrics";

/**
 * OpenAI's Chat Completions wire objects as this API accepts and answers them. Optional request
 * fields also accept `null` (several SDKs send it for "not set"); unknown fields are ignored, as
 * OpenAI ignores them.
 */
const TEXT_LIMIT = 32_000;

const TextPartSchema = z.object({ type: z.literal("text"), text: z.string().max(TEXT_LIMIT) });

/** A string, or an array of parts of which only text parts are supported. */
const ContentSchema = z
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
      if (!TextPartSchema.safeParse(part).success) {
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: 'only text parts ({type: "text", text}) are supported',
        });
      }
    });
  });

export const OpenAIMessageSchema = z
  .object({
    role: z.enum(["system", "developer", "user", "assistant"], {
      error: "role must be system, developer, user or assistant",
    }),
    content: ContentSchema,
    name: z.string().max(64).nullish(),
  })
  .meta({ id: "OpenAIMessage" });

const FunctionToolSchema = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "must be 1–64 of A–Z, a–z, 0–9, _ or -" }),
    description: z.string().max(4_096).optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

const ResponseFormatSchema = z
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
  .meta({ description: "Passed to providers that support it; a 400 from those that do not" });

export const OpenAIChatRequestSchema = z
  .object({
    model: z
      .string()
      .min(1)
      .max(200)
      .meta({
        description:
          "`<provider>/<model>` (e.g. `groq/openai/gpt-oss-20b`, `ollama/llama3.2`), a model id one " +
          "provider lists in `GET /v1/models`, or any other id for the configured default",
        examples: ["groq/openai/gpt-oss-20b"],
      }),
    messages: z.array(OpenAIMessageSchema).min(1).max(101),
    stream: z.boolean().nullish(),
    stream_options: z
      .object({ include_usage: z.boolean().nullish() })
      .nullish()
      .meta({ description: "include_usage: a chunk with `usage` and empty `choices` before `[DONE]`" }),
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
    response_format: ResponseFormatSchema.nullish(),
    tools: z.array(FunctionToolSchema).max(128).nullish(),
    tool_choice: z
      .union([
        z.enum(["none", "auto", "required"]),
        z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
      ])
      .nullish(),
  })
  .meta({ id: "OpenAIChatRequest" });

export type OpenAIChatRequest = z.infer<typeof OpenAIChatRequestSchema>;
export type OpenAIMessage = z.infer<typeof OpenAIMessageSchema>;
export type ResponseFormat = z.infer<typeof ResponseFormatSchema>;
export type FunctionTool = z.infer<typeof FunctionToolSchema>;

export const OpenAIUsageSchema = WireUsageSchema.extend({
  cost: z
    .number()
    .nonnegative()
    .optional()
    .meta({ description: "Extension: US dollars, from the price table" }),
  estimated: z.boolean().optional().meta({ description: "Extension: no tokens reported; estimated" }),
}).meta({ id: "OpenAIUsage" });
export type OpenAIUsage = z.infer<typeof OpenAIUsageSchema>;

/** The metrics and ids an OpenAI-shaped answer carries, in one extension field. */
export const NeonNexusExtensionSchema = ChatResponseSchema.pick({
  metrics: true,
  metricsStatus: true,
  conversationId: true,
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
  });
export type NeonNexusExtension = z.infer<typeof NeonNexusExtensionSchema>;

const FinishReasonSchema = z.enum(["stop", "length", "tool_calls", "content_filter", "function_call"]);
export type FinishReason = z.infer<typeof FinishReasonSchema>;

export const OpenAIChatCompletionSchema = z
  .object({
    id: z.string().meta({ examples: ["chatcmpl-msg_0b7e6c1e-5f2a-4d3b-9a8c-2e4f6a1b3c5d"] }),
    object: z.literal("chat.completion"),
    created: z.number().int().meta({ description: "Unix seconds" }),
    model: z.string().meta({ description: "`<provider>/<model>` that answered" }),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({ role: z.literal("assistant"), content: z.string(), refusal: z.null() }),
        finish_reason: FinishReasonSchema,
        logprobs: z.null(),
      }),
    ),
    usage: OpenAIUsageSchema.optional(),
    neon_nexus: NeonNexusExtensionSchema,
  })
  .meta({ id: "OpenAIChatCompletion" });
export type OpenAIChatCompletion = z.infer<typeof OpenAIChatCompletionSchema>;

export const OpenAIChatCompletionChunkSchema = z
  .object({
    id: z.string(),
    object: z.literal("chat.completion.chunk"),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        delta: z.object({ role: z.literal("assistant").optional(), content: z.string().optional() }),
        finish_reason: FinishReasonSchema.nullable(),
        logprobs: z.null(),
      }),
    ),
    usage: OpenAIUsageSchema.nullable().optional(),
    neon_nexus: z
      .union([NeonNexusExtensionSchema, z.object({ partial: PartialMetricsEventSchema })])
      .optional()
      .meta({
        description:
          "Only on chunks with empty `choices`: `{partial}` every N words while the reply streams, then the " +
          "final metrics chunk after the finish chunk",
      }),
  })
  .meta({ id: "OpenAIChatCompletionChunk" });
export type OpenAIChatCompletionChunk = z.infer<typeof OpenAIChatCompletionChunkSchema>;

export const OpenAIModelSchema = z
  .object({
    id: z.string().meta({ examples: ["groq/openai/gpt-oss-20b"] }),
    object: z.literal("model"),
    created: z.number().int(),
    owned_by: z.string().meta({ description: "The provider that serves it" }),
  })
  .meta({ id: "OpenAIModel" });

export const OpenAIModelListSchema = z
  .object({ object: z.literal("list"), data: z.array(OpenAIModelSchema) })
  .meta({ id: "OpenAIModelList" });
export type OpenAIModelList = z.infer<typeof OpenAIModelListSchema>;

export const OpenAIErrorSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string().meta({ examples: ["invalid_request_error", "rate_limit_error"] }),
      code: z.string().nullable().meta({ description: "The same stable code `/chat` answers with" }),
      param: z.string().nullable().meta({ description: "The request field at fault, if one is" }),
    }),
  })
  .meta({ id: "OpenAIError" });
export type OpenAIError = z.infer<typeof OpenAIErrorSchema>;

/** The headers `/v1/chat/completions` reads (lower-case, as they are matched). */
export const OpenAIChatHeadersSchema = z.object({
  "x-conversation-id": IdSchema.optional().meta({
    description:
      "Continue this conversation kept on the server: send only the new messages. Without it the request stands alone.",
    examples: ["conv_0b7e6c1e-5f2a-4d3b-9a8c-2e4f6a1b3c5d"],
  }),
  "x-metrics": z.enum(["sync", "async", "off"]).default("sync").meta({
    description:
      "sync: score before answering; async: answer first, metrics via room and cache; off: no scoring",
  }),
});
