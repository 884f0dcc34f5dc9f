import type * as z from "zod";
import type { Lazy } from "../lib/lazy";
import { OpenAIChatCompletionChunkSchema } from "../openai/schemas";
import { PartialMetricsEventSchema } from "../schemas/partial-metrics";
import { RoomClientMessageSchema, RoomMessageSchema, RoomServerMessageSchema } from "../schemas/room";

/**
 * Wire objects no route answers with as a JSON body, documented as components for the clients of
 * the streams: the room's WebSocket messages, `/chat`'s partial-metrics event and `/v1`'s stream
 * chunk. Like every schema they are built on first use; the document builds them.
 */
export const STREAMED_SCHEMAS: readonly Lazy<z.ZodType>[] = [
  RoomMessageSchema,
  RoomServerMessageSchema,
  RoomClientMessageSchema,
  PartialMetricsEventSchema,
  OpenAIChatCompletionChunkSchema,
];
