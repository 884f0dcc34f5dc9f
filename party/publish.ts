import type * as Party from "partykit/server";
import { RoomMessageSchema } from "../src/schemas/room";
import { audienceOf } from "./audience";
import { errorResponse, json, readTextWithin } from "./http";
import { MAX_PUBLISH_BYTES } from "./limits";
import { type ReplayPolicy, rememberMetrics } from "./replay";
import type { SendQueue } from "./send-queue";

/**
 * Validates a worker's POST body, then, in its turn among the room's sends, broadcasts it and keeps
 * final metrics for replay.
 */
export async function publishToRoom(
  room: Party.Room,
  request: Party.Request,
  replay: ReplayPolicy,
  sends: SendQueue,
): Promise<Response> {
  const body = await readTextWithin(request, MAX_PUBLISH_BYTES);
  if (body === undefined)
    return errorResponse(413, "payload_too_large", `Body over ${MAX_PUBLISH_BYTES} bytes`);
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return errorResponse(400, "invalid_json", "Body is not JSON");
  }
  const parsed = RoomMessageSchema().safeParse(payload);
  if (!parsed.success)
    return errorResponse(400, "invalid_request", parsed.error.issues[0]?.message ?? "Invalid");
  const message = parsed.data;
  if (message.type === "metrics" && message.data.conversationId !== room.id) {
    return errorResponse(400, "invalid_request", "conversationId does not match the room");
  }
  const frame = JSON.stringify(message);
  const connections = await sends.run(async () => {
    const sent = await sends.broadcast(room, frame, audienceOf(message));
    // A partial score is superseded within moments: broadcast it, but replay only final scores.
    if (message.type === "metrics" && message.data.partial !== true)
      await rememberMetrics(room.storage, message, replay);
    return sent;
  });
  return json({ status: "ok", connections }, 202);
}

/** How many WebSockets the room holds. */
export function countConnections(room: Party.Room): number {
  let count = 0;
  for (const _ of room.getConnections()) count++;
  return count;
}
