import { RoomClientMessageSchema, type RoomServerMessage } from "../src/schemas/room";
import { MAX_CLIENT_MESSAGE_BYTES } from "./limits";

/** The answer a client gets for what it sent: a pong, or an error that only it sees. */
export function answerClientMessage(message: string | ArrayBuffer | ArrayBufferView): RoomServerMessage {
  if (typeof message !== "string") {
    return { type: "error", data: { code: "invalid_message", details: "Binary messages are not accepted" } };
  }
  if (
    message.length > MAX_CLIENT_MESSAGE_BYTES ||
    new TextEncoder().encode(message).byteLength > MAX_CLIENT_MESSAGE_BYTES
  ) {
    return {
      type: "error",
      data: {
        code: "message_too_large",
        details: `Messages are limited to ${MAX_CLIENT_MESSAGE_BYTES} bytes`,
      },
    };
  }
  const parsed = RoomClientMessageSchema().safeParse(parseJson(message));
  if (!parsed.success) {
    return { type: "error", data: { code: "invalid_message", details: 'Send {"type":"ping","id"?:string}' } };
  }
  return parsed.data.id === undefined ? { type: "pong" } : { type: "pong", id: parsed.data.id };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
