import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { ApiError } from "../lib/errors";
import { signRoomToken } from "../rooms/token";
import { RoomIdSchema } from "../schemas/room";
import type { AppEnv } from "../types";
import { errorResponses, jsonContent } from "./openapi";

export const RoomTokenSchema = z
  .object({
    token: z.string().openapi({ description: "Pass as the `token` query parameter (partysocket's `query`)" }),
    room: RoomIdSchema,
    expiresAt: z.number().int().openapi({ description: "Expiry, epoch milliseconds" }),
    host: z.string().openapi({ description: "PartyKit host to connect to", example: "http://127.0.0.1:8001" }),
  })
  .openapi("RoomToken");

const tokenRoute = createRoute({
  method: "post",
  path: "/rooms/{room}/token",
  tags: ["rooms"],
  summary: "A short-lived token for watching one conversation's metrics room",
  request: { params: z.object({ room: RoomIdSchema.openapi({ param: { name: "room", in: "path" } }) }) },
  responses: {
    200: { description: "A signed token bound to the room and an expiry", content: jsonContent(RoomTokenSchema) },
    ...errorResponses(400, 401, 429, 503),
  },
});

/** `POST /rooms/:room/token`: signs a token the room's `onBeforeConnect` checks. */
export function registerRoomRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(tokenRoute, async (c) => {
    const { room } = c.req.valid("param");
    const rooms = c.var.services.config.rooms;
    if (!rooms) {
      throw new ApiError(503, "service_unavailable", "Metrics rooms are not configured (PARTYKIT_HOST, PARTY_SECRET)");
    }
    const expiresAt = Date.now() + rooms.tokenTtlSeconds * 1000;
    const token = await signRoomToken({ room, expiresAt, secret: rooms.secret });
    return c.json({ token, room, expiresAt, host: rooms.host }, 200);
  });
}
