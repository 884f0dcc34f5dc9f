import type { Logger } from "../lib/log";
import { redact } from "../lib/redact";
import { RoomIdSchema, type RoomMessage, RoomMessageSchema } from "../schemas/room";
import { publishBearer } from "./keys";

export interface RoomPublisherOptions {
  /** Base URL of the PartyKit host, e.g. `http://127.0.0.1:8001` or `https://rooms.example.com`. */
  host: string;
  /** `PARTY_SECRET`: the rooms expect the bearer derived from it (`publishBearer`). */
  secret: string;
  fetch?: typeof fetch;
  /** Upper bound for one call to a room; default 3000 ms. */
  timeoutMs?: number;
  log?: Logger;
}

export interface RoomPublisher {
  /** POSTs one message to a room, which broadcasts it; throws a `RoomPublishError` on failure. */
  publish(room: string, message: RoomMessage): Promise<void>;
  /** Forgets the room's replayed metrics (a deleted conversation); throws a `RoomPublishError` on failure. */
  clear(room: string): Promise<void>;
  /** `"ok"` when the rooms host answers an authorised room GET in time, `"degraded"` otherwise. */
  health(): Promise<"ok" | "degraded">;
}

/** A room call that failed; the message names the room and the cause, never the secret. */
export class RoomPublishError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "RoomPublishError";
  }
}

const HEALTH_ROOM = "health-check";

/**
 * Creates the worker's client for pushing messages into PartyKit rooms.
 *
 * @example
 * const rooms = createRoomPublisher({ host: config.rooms.host, secret: config.rooms.secret });
 * c.executionCtx.waitUntil(rooms.publish(conversationId, { type: "metrics", data }).catch(report));
 */
export function createRoomPublisher({
  host,
  secret,
  fetch: fetchImpl = (input, init) => fetch(input, init),
  timeoutMs = 3_000,
  log = () => {},
}: RoomPublisherOptions): RoomPublisher {
  if (!secret) throw new TypeError("createRoomPublisher needs the rooms' shared secret");
  const baseUrl = host.replace(/\/+$/, "");
  const bearer = publishBearer(secret);
  const secrets = [secret];

  async function callRoom(
    room: string,
    body?: string,
    method = body === undefined ? "GET" : "POST",
  ): Promise<Response> {
    const derived = await bearer;
    if (!secrets.includes(derived)) secrets.push(derived);
    const headers: Record<string, string> = { authorization: `Bearer ${derived}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    try {
      return await fetchImpl(`${baseUrl}/parties/main/${room}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === "TimeoutError";
      const cause = timedOut ? `no answer within ${timeoutMs} ms` : redact(String(error), secrets);
      throw new RoomPublishError(`Room ${room} at ${baseUrl} unreachable: ${cause}`);
    }
  }

  return {
    async publish(room, message) {
      if (!RoomIdSchema().safeParse(room).success) throw new RoomPublishError(`Invalid room id "${room}"`);
      const valid = RoomMessageSchema().safeParse(message);
      if (!valid.success)
        throw new RoomPublishError(`Invalid room message: ${valid.error.issues[0]?.message}`);
      try {
        const response = await callRoom(room, JSON.stringify(valid.data));
        if (!response.ok) {
          const detail = redact((await response.text().catch(() => "")).slice(0, 200), secrets);
          throw new RoomPublishError(
            `Room ${room} refused the message: ${response.status} ${detail}`,
            response.status,
          );
        }
        await response.body?.cancel();
      } catch (error) {
        log({ msg: "rooms", room, detail: (error as Error).message }, "warn");
        throw error;
      }
    },

    async clear(room) {
      if (!RoomIdSchema().safeParse(room).success) throw new RoomPublishError(`Invalid room id "${room}"`);
      const response = await callRoom(room, undefined, "DELETE");
      await response.body?.cancel();
      if (!response.ok)
        throw new RoomPublishError(`Room ${room} refused to clear: ${response.status}`, response.status);
    },

    async health() {
      try {
        const response = await callRoom(HEALTH_ROOM);
        await response.body?.cancel();
        if (response.ok) return "ok";
        log({ msg: "rooms", detail: `Rooms health check answered ${response.status}` }, "warn");
      } catch (error) {
        log({ msg: "rooms", detail: (error as Error).message }, "warn");
      }
      return "degraded";
    },
  };
}
