import { timingSafeEqual } from "hono/utils/buffer";
import type * as Party from "partykit/server";
import { ID_PATTERN } from "../src/lib/ids";
import { publishBearer } from "../src/rooms/keys";
import { verifyRoomToken } from "../src/rooms/token";
import { errorResponse } from "./http";
import { MAX_PUBLISH_BYTES } from "./limits";

function envSecret(lobby: Party.Lobby, name: "PARTY_SECRET" | "ROOM_TOKEN_SECRET"): string | undefined {
  const secret = lobby.env[name];
  return typeof secret === "string" && secret !== "" ? secret : undefined;
}
const partySecret = (lobby: Party.Lobby) => envSecret(lobby, "PARTY_SECRET");

/** Lets a WebSocket through only with a valid, unexpired `token` for this room; 401/403 otherwise. */
export async function authorizeConnection(request: Party.Request, lobby: Party.Lobby) {
  if (!ID_PATTERN.test(lobby.id)) return errorResponse(400, "invalid_room", "Room id is not valid");
  const secret = partySecret(lobby);
  if (!secret) return errorResponse(503, "rooms_not_configured", "PARTY_SECRET is not set");
  const token = new URL(request.url).searchParams.get("token");
  const tokenSecret = envSecret(lobby, "ROOM_TOKEN_SECRET") ?? secret;
  const check = await verifyRoomToken(token, { room: lobby.id, secret: tokenSecret });
  if (check.ok) return request;
  if (check.reason === "wrong_room") return errorResponse(403, "forbidden", "Token is for another room");
  return errorResponse(401, "unauthorized", `Room token refused: ${check.reason}`);
}

/** Lets an HTTP request through only from the worker: `Authorization: Bearer <publishBearer(PARTY_SECRET)>`. */
export async function authorizeWorkerRequest(request: Party.Request, lobby: Party.Lobby) {
  if (!ID_PATTERN.test(lobby.id)) return errorResponse(400, "invalid_room", "Room id is not valid");
  const secret = partySecret(lobby);
  if (!secret) return errorResponse(503, "rooms_not_configured", "PARTY_SECRET is not set");
  const presented = request.headers.get("authorization")?.match(/^Bearer (.+)$/)?.[1] ?? "";
  if (!(await timingSafeEqual(presented, await publishBearer(secret)))) {
    return errorResponse(401, "unauthorized", "Missing or wrong shared secret");
  }
  if (request.method !== "GET" && request.method !== "POST" && request.method !== "DELETE") {
    return errorResponse(
      405,
      "method_not_allowed",
      "Use POST to publish, GET for room health, DELETE to clear",
    );
  }
  if (Number(request.headers.get("content-length") ?? 0) > MAX_PUBLISH_BYTES) {
    return errorResponse(413, "payload_too_large", `Body over ${MAX_PUBLISH_BYTES} bytes`);
  }
  return request;
}
