import { Hono } from "hono";
import * as z from "zod";
import { CacheUnavailableError } from "../cache";
import { ApiError } from "../lib/errors";
import { lazy } from "../lib/lazy";
import { recordAudit } from "../middleware/audit";
import { defineRoute } from "../openapi/contract";
import { register } from "../openapi/register";
import { signRoomToken } from "../rooms/token";
import { RoomIdSchema } from "../schemas/room";
import { ownerOf } from "../security/ownership";
import type { AppEnv } from "../types";

export const RoomTokenSchema = lazy(() =>
  z
    .object({
      token: z.string().meta({ description: "Pass as the `token` query parameter (partysocket's `query`)" }),
      room: RoomIdSchema(),
      expiresAt: z.number().int().meta({ description: "Expiry, epoch milliseconds" }),
      host: z
        .string()
        .meta({ description: "PartyKit host to connect to", examples: ["http://127.0.0.1:8001"] }),
    })
    .meta({ id: "RoomToken" }),
);

const RoomParamsSchema = lazy(() => z.object({ room: RoomIdSchema() }));

export const roomTokenContract = defineRoute({
  method: "post",
  path: "/rooms/{room}/token",
  tags: ["rooms"],
  summary: "A short-lived token for watching one conversation's metrics room",
  auth: "key",
  rateLimit: "write",
  request: { params: RoomParamsSchema },
  responses: {
    200: { description: "A signed token bound to the room and an expiry", schema: RoomTokenSchema },
  },
  errors: [404, 503],
});

/**
 * `POST /rooms/:room/token`: signs a token the room's `onBeforeConnect` checks; each one is audited.
 * With auth on, the room (conversation) must be the caller's: an id issued to them (`POST
 * /conversations` or a chat); another key's, or one never issued, is the same 404.
 */
export const roomRoutes = register(new Hono<AppEnv>(), roomTokenContract, async (c) => {
  const { room } = c.req.valid("param");
  const rooms = c.get("services").config.rooms;
  if (!rooms) {
    throw new ApiError(
      503,
      "service_unavailable",
      "Metrics rooms are not configured (PARTYKIT_HOST, PARTY_SECRET)",
    );
  }
  const owner = ownerOf(c);
  if (owner !== undefined) {
    const claim = await c
      .get("services")
      .store.readOwnedConversation(room, owner, false)
      .catch((error: unknown) => {
        if (!(error instanceof CacheUnavailableError)) throw error;
        throw new ApiError(
          503,
          "service_unavailable",
          "The cache cannot confirm who owns this room right now; try again shortly",
        );
      });
    if (!claim.owned)
      throw new ApiError(404, "not_found", `No conversation with id ${room} for this API key`);
  }
  const expiresAt = Date.now() + rooms.tokenTtlSeconds * 1000;
  const token = await signRoomToken({ room, expiresAt, secret: rooms.tokenSecret });
  recordAudit(c, { type: "room_token_issued", room });
  return c.json({ token, room, expiresAt, host: rooms.host }, 200);
});
