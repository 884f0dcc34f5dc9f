import * as z from "zod";
import { lazy } from "../lib/lazy";
import { PROVIDER_NAMES } from "../providers/registry";
import { IdSchema } from "./common";
import { MetricsSchema } from "./metrics";

export const TurnSchema = lazy(() =>
  z
    .object({
      role: z.enum(["system", "user", "assistant"]),
      content: z.string().max(32_000),
    })
    .strict()
    .meta({ id: "Turn" }),
);

export const ToolCallSchema = lazy(() =>
  z
    .object({
      id: z.string().min(1).max(128),
      type: z.literal("function"),
      function: z.object({ name: z.string().min(1).max(64), arguments: z.string().max(32_000) }),
    })
    .meta({ id: "ToolCall", description: "A tool the model called; `arguments` is JSON text" }),
);

/**
 * A turn as a conversation's history keeps it: `/chat`'s turns, and from `/v1` also the assistant's
 * tool calls and the tools' results (role `tool`, answering `toolCallId`).
 */
export const HistoryTurnSchema = lazy(() =>
  z
    .object({
      role: z.enum(["system", "user", "assistant", "tool"]),
      content: z.string(),
      toolCalls: z.array(ToolCallSchema()).optional(),
      toolCallId: z.string().optional(),
    })
    .meta({ id: "HistoryTurn" }),
);

const TURN_ROLES = lazy((): ReadonlySet<string> => new Set(HistoryTurnSchema().shape.role.options));

/** True for a turn read back from the cache (lenient on length: replies can be long). */
export function isTurn(value: unknown): value is Turn {
  if (typeof value !== "object" || value === null) return false;
  const { role, content, toolCalls, toolCallId } = value as Record<string, unknown>;
  return (
    typeof role === "string" &&
    TURN_ROLES().has(role) &&
    typeof content === "string" &&
    (toolCalls === undefined || ToolCallSchema().array().safeParse(toolCalls).success) &&
    (toolCallId === undefined || typeof toolCallId === "string")
  );
}

export const ChatRequestSchema = lazy(() =>
  z
    .object({
      message: z
        .string()
        .min(1)
        .max(32_000)
        .meta({ examples: ["What is the meaning of life?"] }),
      context: z.array(TurnSchema()).max(100).optional().meta({ description: "Earlier turns, oldest first" }),
      conversationId: IdSchema()
        .optional()
        .meta({
          description: "Continue a cached conversation; its history is used when `context` is absent",
          examples: ["conv-42"],
        }),
      provider: z.enum(PROVIDER_NAMES).optional().meta({ description: "Use only this provider" }),
      model: z.string().min(1).max(200).optional(),
      temperature: z.number().min(0).max(2).optional(),
      maxTokens: z.number().int().min(1).max(8192).optional(),
      stream: z.boolean().optional().meta({ description: "Answer with Server-Sent Events" }),
      metrics: z.enum(["sync", "async", "off"]).default("sync").meta({
        description: "sync: score before answering; async: answer first, metrics via room and cache",
      }),
      cache: z
        .enum(["auto", "on", "off"])
        .optional()
        .meta({
          description:
            "Semantic cache (when the server has it): auto answers a stateless question at temperature 0 from a " +
            "near-identical earlier one; on does so at any temperature; off never",
        }),
    })
    .strict()
    .meta({ id: "ChatRequest" }),
);

export const UsageSchema = lazy(() =>
  z
    .object({
      promptTokens: z.number().int().nonnegative(),
      completionTokens: z.number().int().nonnegative(),
      totalTokens: z.number().int().nonnegative(),
      cachedTokens: z.number().int().nonnegative().optional().meta({
        description: "Prompt tokens from the provider's prompt cache",
      }),
      reasoningTokens: z.number().int().nonnegative().optional().meta({
        description: "Completion tokens spent reasoning",
      }),
      estimated: z.literal(true).optional().meta({
        description: "No tokens reported: estimated (4 characters a token)",
      }),
      cost: z.number().nonnegative().optional().meta({
        description: "US dollars (price table in /health, MODEL_PRICES)",
      }),
    })
    .meta({ id: "Usage" }),
);

export const ChatResponseSchema = lazy(() =>
  z
    .object({
      id: z.string().meta({
        description: "Unique, unguessable message id",
        examples: ["msg_0b7e6c1e-5f2a-4d3b-9a8c-2e4f6a1b3c5d"],
      }),
      message: z.string(),
      toolCalls: z
        .array(ToolCallSchema())
        .optional()
        .meta({ description: "The tools the model called (`/v1` requests with `tools`)" }),
      metrics: MetricsSchema().nullable().meta({
        description: "null when metrics are off, pending, skipped or failed",
      }),
      metricsStatus: z.enum(["ready", "pending", "off", "failed", "skipped"]),
      metricsReason: z
        .string()
        .optional()
        .meta({
          description: "Why the reply was not scored (`skipped`): only the assistant's text is scored",
          examples: ["the reply has no text, only tool calls"],
        }),
      partial: z.literal(false).optional().meta({
        description:
          "On a streamed answer's `done` event: these are the final metrics, after any partial `metrics` events",
      }),
      conversationId: IdSchema().meta({
        description: "The request's, or a new one: continue with it, watch its room",
      }),
      provider: z.enum(PROVIDER_NAMES),
      model: z.string(),
      usage: UsageSchema().nullable(),
      timings: z
        .object({
          totalMs: z.number().nonnegative(),
          providerMs: z.number().nonnegative(),
          analysisMs: z.number().nonnegative().nullable(),
        })
        .meta({ id: "Timings" }),
      cache: z
        .object({ hit: z.boolean(), similarity: z.number().min(-1).max(1).optional() })
        .optional()
        .meta({
          description: "Present when the semantic cache answered: the earlier question's cosine similarity",
        }),
      recalled: z
        .array(z.object({ messageId: z.string(), similarity: z.number().min(-1).max(1) }))
        .optional()
        .meta({ description: "Older exchanges of the conversation recalled into the model's context" }),
    })
    .meta({ id: "ChatResponse" }),
);

/** A chat request; `/v1` maps onto it too, and its earlier turns may then hold tool calls and results. */
export type ChatRequest = Omit<z.infer<ReturnType<typeof ChatRequestSchema>>, "context"> & {
  context?: Turn[];
};
export type ChatResponse = z.infer<ReturnType<typeof ChatResponseSchema>>;
/** A turn of a conversation's history (a `/chat` context turn is one too). */
export type Turn = z.infer<ReturnType<typeof HistoryTurnSchema>>;

/** A chat exchange as cached for `GET /messages/:id` (24 h by default). */
export const StoredMessageSchema = lazy(() =>
  z
    .object({
      id: z.string(),
      conversationId: IdSchema(),
      prompt: z.string(),
      message: z.string(),
      provider: z.enum(PROVIDER_NAMES),
      model: z.string(),
      usage: UsageSchema().nullable(),
      createdAt: z.string(),
    })
    .meta({ id: "StoredMessage" }),
);

export const ConversationSchema = lazy(() =>
  z.object({ id: IdSchema(), turns: z.array(HistoryTurnSchema()) }).meta({ id: "Conversation" }),
);

export type StoredMessage = z.infer<ReturnType<typeof StoredMessageSchema>>;
