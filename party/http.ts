import type * as Party from "partykit/server";

/** Stable codes the room answers HTTP callers with, in the API's error envelope. */
export type RoomErrorCode =
  | "unauthorized"
  | "forbidden"
  | "invalid_room"
  | "invalid_json"
  | "invalid_request"
  | "method_not_allowed"
  | "payload_too_large"
  | "rooms_not_configured";

/** A JSON response. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** The project's error envelope: `{status:"error", error, details}`. */
export function errorResponse(status: number, error: RoomErrorCode, details: string): Response {
  return json({ status: "error", error, details }, status);
}

/** Reads a request body as text, or `undefined` once it grows past `maxBytes`. */
export async function readTextWithin(request: Party.Request, maxBytes: number): Promise<string | undefined> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) return undefined;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(body);
}
