import PartySocket from "partysocket";
import type * as z from "zod";
import type { RoomTokenSchema } from "../routes/rooms";
import type { MetricsMessage, RoomServerMessage, StatusMessage } from "../schemas/room";

export type RoomToken = z.infer<ReturnType<typeof RoomTokenSchema>>;

export interface ConversationHandlers {
  /** A message of the conversation was scored (also the last 20, replayed right after connecting). */
  onMetrics?(data: MetricsMessage["data"]): void;
  /** Room presence (`{room, connections}`) or chat progress (`{messageId, state}`). */
  onStatus?(data: StatusMessage["data"]): void;
  onOpen?(): void;
  onClose?(): void;
}

export interface ConversationWatch {
  socket: PartySocket;
  /** Settles when the socket is open for the first time. */
  opened: Promise<void>;
  close(): void;
}

export interface WatchOptions {
  /** A WebSocket class for runtimes without a global one. */
  WebSocket?: typeof globalThis.WebSocket;
}

/**
 * Connects a partysocket to a conversation's metrics room. The first token says which host to use;
 * every reconnect asks `issueToken` for a fresh one, so an expired token never blocks a reconnect.
 * Without an `onStatus` handler it connects with `progress=off`: the room then sends metrics only,
 * one frame per chat instead of three.
 */
export async function watchRoom(
  room: string,
  issueToken: () => Promise<RoomToken>,
  handlers: ConversationHandlers,
  options: WatchOptions = {},
): Promise<ConversationWatch> {
  const first = await issueToken();
  let unused: RoomToken | undefined = first;
  const socket = new PartySocket({
    host: first.host,
    room,
    query: async () => {
      const token = unused ?? (await issueToken());
      unused = undefined;
      return handlers.onStatus ? { token: token.token } : { token: token.token, progress: "off" };
    },
    ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
  });
  socket.addEventListener("message", (event: MessageEvent) => dispatch(String(event.data), handlers));
  socket.addEventListener("open", () => handlers.onOpen?.());
  socket.addEventListener("close", () => handlers.onClose?.());
  const opened = new Promise<void>((resolve) =>
    socket.addEventListener("open", () => resolve(), { once: true }),
  );
  return { socket, opened, close: () => socket.close() };
}

function dispatch(text: string, handlers: ConversationHandlers): void {
  let message: RoomServerMessage;
  try {
    message = JSON.parse(text) as RoomServerMessage;
  } catch {
    return;
  }
  if (message.type === "metrics") handlers.onMetrics?.(message.data);
  else if (message.type === "status") handlers.onStatus?.(message.data);
}
