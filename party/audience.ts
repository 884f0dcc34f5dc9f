import type * as Party from "partykit/server";
import type { RoomMessage } from "../src/schemas/room";

/**
 * The tag of connections that get chat progress (`status` messages with a `messageId`): every
 * connection, unless it connected with `progress=off` because it only shows metrics.
 */
export const PROGRESS_TAG = "progress";

/** The tags a new connection gets from its URL. */
export function connectionTags(request: Party.Request): string[] {
  return new URL(request.url).searchParams.get("progress") === "off" ? [] : [PROGRESS_TAG];
}

/** Which connections a message goes to: a tag, or `undefined` for all of them. */
export function audienceOf(message: RoomMessage): string | undefined {
  return message.type === "status" && "messageId" in message.data ? PROGRESS_TAG : undefined;
}
