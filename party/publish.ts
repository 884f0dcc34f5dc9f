import type * as Party from "partykit/server";
import { RoomMessageSchema } from "../src/schemas/room";
import { audienceOf } from "./audience";
import { errorResponse, json, readTextWithin } from "./http";
import { MAX_PUBLISH_BYTES } from "./limits";
import { type ReplayPolicy, rememberMetrics } from "./replay";

/** Validates a worker's POST body, broadcasts it to the room and keeps final metrics for replay. */
export async function publishToRoom(
  room: Party.Room,
  request: Party.Request,
  replay: ReplayPolicy,
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
  const connections = broadcast(room, JSON.stringify(message), audienceOf(message));
  // A partial score is superseded within moments: broadcast it, but replay only final scores.
  if (message.type === "metrics" && message.data.partial !== true)
    await rememberMetrics(room.storage, message, replay);
  return json({ status: "ok", connections }, 202);
}

/** Sends one serialized frame to every open connection (with `tag`, if given); returns how many it went to. */
function broadcast(room: Party.Room, frame: string, tag: string | undefined): number {
  let sent = 0;
  for (const connection of room.getConnections(tag)) {
    connection.send(frame);
    sent++;
  }
  return sent;
}

/** How many WebSockets the room holds. */
export function countConnections(room: Party.Room): number {
  let count = 0;
  for (const _ of room.getConnections()) count++;
  return count;
}
