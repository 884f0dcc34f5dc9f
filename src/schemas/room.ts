import * as z from "zod";
import { lazy } from "../lib/lazy";
import { IdSchema } from "./common";

/** Room ids are conversation ids. */
export const RoomIdSchema = lazy(() => IdSchema().meta({ examples: ["conv_8f2c1a"] }));

export const MetricsMessageSchema = lazy(() =>
  z
    .object({
      type: z.literal("metrics"),
      data: z.object({
        messageId: z.string().min(1).max(128),
        conversationId: RoomIdSchema(),
        metrics: z.record(z.string(), z.unknown()),
        partial: z
          .boolean()
          .optional()
          .meta({
            description:
              "true: a score of the reply so far, while it streams (a later message supersedes it); " +
              "false or absent: the final score of the whole reply",
          }),
        words: z.number().int().min(0).optional().meta({
          description: "On a partial: how many words of the reply it rests on",
        }),
      }),
    })
    .meta({ id: "RoomMetricsMessage" }),
);

export const ConnectedStatusSchema = lazy(() =>
  z
    .object({
      room: RoomIdSchema(),
      connections: z.number().int().min(0),
    })
    .meta({ id: "RoomConnectedStatus" }),
);

/** A chat's progress as its room hears it; `cancelled`: the client went away before the answer ended. */
export const CHAT_PROGRESS_STATES = ["generating", "analysing", "done", "error", "cancelled"] as const;

export const ChatProgressStatusSchema = lazy(() =>
  z
    .object({
      messageId: z.string().min(1).max(128),
      state: z.enum(CHAT_PROGRESS_STATES),
      detail: z.string().max(500).optional(),
    })
    .meta({ id: "RoomChatProgressStatus" }),
);

export const StatusMessageSchema = lazy(() =>
  z
    .object({
      type: z.literal("status"),
      data: z.union([ConnectedStatusSchema(), ChatProgressStatusSchema()]),
    })
    .meta({ id: "RoomStatusMessage" }),
);

/** What the worker POSTs to a room and the room broadcasts unchanged. */
export const RoomMessageSchema = lazy(() =>
  z.discriminatedUnion("type", [MetricsMessageSchema(), StatusMessageSchema()]).meta({ id: "RoomMessage" }),
);

/** Answer to a client's ping, sent to that client alone. */
export const PongMessageSchema = lazy(() =>
  z.object({ type: z.literal("pong"), id: z.string().max(64).optional() }).meta({ id: "RoomPongMessage" }),
);

export const ROOM_CLIENT_ERROR_CODES = ["message_too_large", "invalid_message"] as const;

/** Sent to one client whose message the room refused. */
export const RoomErrorMessageSchema = lazy(() =>
  z
    .object({
      type: z.literal("error"),
      data: z.object({ code: z.enum(ROOM_CLIENT_ERROR_CODES), details: z.string() }),
    })
    .meta({ id: "RoomErrorMessage" }),
);

/** Everything a room sends over a WebSocket. */
export const RoomServerMessageSchema = lazy(() =>
  z
    .discriminatedUnion("type", [
      MetricsMessageSchema(),
      StatusMessageSchema(),
      PongMessageSchema(),
      RoomErrorMessageSchema(),
    ])
    .meta({ id: "RoomServerMessage" }),
);

export const PingMessageSchema = lazy(() =>
  z
    .object({ type: z.literal("ping"), id: z.string().max(64).optional() })
    .strict()
    .meta({ id: "RoomPingMessage" }),
);

/** The only messages a client may send to a room. */
export const RoomClientMessageSchema = lazy(() => z.discriminatedUnion("type", [PingMessageSchema()]));

export type MetricsMessage = z.infer<ReturnType<typeof MetricsMessageSchema>>;
export type StatusMessage = z.infer<ReturnType<typeof StatusMessageSchema>>;
export type RoomMessage = z.infer<ReturnType<typeof RoomMessageSchema>>;
export type PongMessage = z.infer<ReturnType<typeof PongMessageSchema>>;
export type RoomErrorMessage = z.infer<ReturnType<typeof RoomErrorMessageSchema>>;
export type RoomServerMessage = z.infer<ReturnType<typeof RoomServerMessageSchema>>;
export type RoomClientMessage = z.infer<ReturnType<typeof RoomClientMessageSchema>>;
