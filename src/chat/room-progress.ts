import { errorName } from "../lib/errors";
import type { CHAT_PROGRESS_STATES, RoomMessage } from "../schemas/room";
import type { Services } from "../services";
import type { PreparedChat } from "./prepare";
import type { WaitUntil } from "./types";

/** Sends a message to the conversation's room; a room that is down is logged, never fatal. */
export async function publish(chat: PreparedChat, services: Services, message: RoomMessage): Promise<void> {
  if (!services.rooms) return;
  await services.rooms
    .publish(chat.conversationId, message)
    .catch((error: unknown) =>
      services.log({ msg: "room_publish_failed", reason: errorName(error) }, "warn"),
    );
}

type ProgressState = (typeof CHAT_PROGRESS_STATES)[number];

export function status(chat: PreparedChat, state: ProgressState): RoomMessage {
  return { type: "status", data: { messageId: chat.messageId, state } };
}

/** Tells the conversation's room how the chat is going, after the answer (no-op without rooms). */
export function announce(
  chat: PreparedChat,
  services: Services,
  state: ProgressState,
  waitUntil: WaitUntil,
): void {
  if (services.rooms) waitUntil(publish(chat, services, status(chat, state)));
}
