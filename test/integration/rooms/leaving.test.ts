import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { signRoomToken } from "../../../src/rooms/token";
import { type PartykitDevServer, startPartykitDev } from "../../helpers/partykit";

/**
 * A browser tab closing, or a Node client ending: the socket says goodbye with a close frame. (That
 * `npm run dev` prints nothing then is checked by test/integration/stack/dev-script.test.ts.)
 */
const secret = "leaving-test-secret-0123456789";
let server: PartykitDevServer;

beforeAll(async () => {
  server = await startPartykitDev({ vars: { PARTY_SECRET: secret } });
});
afterAll(() => server?.stop());

async function openSocket(room: string): Promise<WebSocket> {
  const token = await signRoomToken({ room, secret, expiresAt: Date.now() + 60_000 });
  const socket = new WebSocket(`ws://${server.host}/parties/main/${room}?token=${encodeURIComponent(token)}`);
  await new Promise((resolve, reject) => {
    socket.once("message", resolve);
    socket.once("error", reject);
  });
  return socket;
}

describe("a client leaving a room", () => {
  it("gets the room's close frame back, so a client waiting on the closing handshake can exit", async () => {
    const socket = await openSocket("leaving-handshake");
    const closed = new Promise<{ code: number }>((resolve) =>
      socket.once("close", (code) => resolve({ code })),
    );
    socket.close(1000, "done");
    // 1006 would mean the handshake was never answered (ws gives up after its own timeout).
    expect((await closed).code).toBe(1000);
  });
});
