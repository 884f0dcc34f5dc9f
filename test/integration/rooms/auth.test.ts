import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishBearer } from "../../../src/rooms/keys";
import { createRoomPublisher, RoomPublishError } from "../../../src/rooms/publisher";
import { signRoomToken } from "../../../src/rooms/token";
import {
  attemptConnection,
  connectRoomClient,
  type PartykitDevServer,
  type RoomClient,
  startPartykitDev,
  waitFor,
} from "../../helpers/partykit";

const secret = "auth-test-secret-0123456789abcdef";
const room = "guarded-room";
/**
 * The publisher's own 3 s limit is for production; `partykit dev` on a busy machine can take longer
 * to answer a room's first request, and a timeout would read as a refusal or a degraded health here.
 */
const PUBLISH_TIMEOUT_MS = 10_000;
let server: PartykitDevServer;
let listener: RoomClient;

beforeAll(async () => {
  server = await startPartykitDev({ vars: { PARTY_SECRET: secret } });
  listener = await connectRoomClient(server.host, room, secret);
  await listener.opened;
});

afterAll(async () => {
  listener?.close();
  await server?.stop();
});

const socketUrl = (token?: string) =>
  `ws://${server.host}/parties/main/${room}${token === undefined ? "" : `?token=${encodeURIComponent(token)}`}`;
const roomUrl = () => `${server.url}/parties/main/${room}`;
const inFiveMinutes = () => Date.now() + 300_000;
const metricsBody = (messageId: string) =>
  JSON.stringify({ type: "metrics", data: { messageId, conversationId: room, metrics: { score: 1 } } });

/** Publishes a marker with the right secret and waits for it, so anything sent before it has arrived too. */
async function messagesBeforeMarker(marker: string) {
  await createRoomPublisher({ host: server.url, secret, timeoutMs: PUBLISH_TIMEOUT_MS }).publish(room, {
    type: "status",
    data: { messageId: marker, state: "done" },
  });
  await waitFor(
    () =>
      listener.messages.some(
        (message) =>
          message.type === "status" && "messageId" in message.data && message.data.messageId === marker,
      ),
    "the marker",
  );
  return listener.messages;
}

describe("room connections need a valid token for that room", () => {
  it("a valid token opens the connection", async () => {
    const token = await signRoomToken({ room, expiresAt: inFiveMinutes(), secret });
    expect(await attemptConnection(socketUrl(token))).toBe("open");
  });

  it.each([
    ["a missing token", async () => undefined, 401],
    ["a garbage token", async () => "not-a-token", 401],
    [
      "a token signed with another secret",
      () => signRoomToken({ room, expiresAt: inFiveMinutes(), secret: "other-secret" }),
      401,
    ],
    ["an expired token", () => signRoomToken({ room, expiresAt: Date.now() - 1_000, secret }), 401],
    [
      "a token for another room",
      () => signRoomToken({ room: "other-room", expiresAt: inFiveMinutes(), secret }),
      403,
    ],
  ])("%s is refused before the socket opens", async (_name, makeToken, status) => {
    expect(await attemptConnection(socketUrl(await makeToken()))).toBe(status);
  });

  it("a partysocket client with a bad token never opens", async () => {
    const token = await signRoomToken({ room: "other-room", expiresAt: inFiveMinutes(), secret });
    const client = await connectRoomClient(server.host, room, secret, token);
    await expect(client.opened).rejects.toThrow(/closed before opening/);
    client.close();
  });
});

describe("only the worker may publish", () => {
  it("a POST without the derived bearer (the raw PARTY_SECRET included) is refused with 401 and broadcasts nothing", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong-secret" },
      { authorization: `Bearer ${secret}x` },
      { authorization: secret },
      { authorization: `Bearer ${secret}` },
      { authorization: `Bearer ${await publishBearer(secret)}x` },
    ];
    for (const headers of attempts) {
      const response = await fetch(roomUrl(), { method: "POST", headers, body: metricsBody("forged") });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ status: "error", error: "unauthorized" });
    }
    const received = await messagesBeforeMarker("after-forgery");
    expect(received.filter((message) => message.type === "metrics")).toEqual([]);
  });

  it("a forged GET does not reveal the room", async () => {
    expect((await fetch(roomUrl())).status).toBe(401);
  });

  it("the worker's malformed, mismatched or oversized bodies are refused and broadcast nothing", async () => {
    const authorization = `Bearer ${await publishBearer(secret)}`;
    const post = (body: string) => fetch(roomUrl(), { method: "POST", headers: { authorization }, body });
    expect((await post("{oops")).status).toBe(400);
    expect((await post(JSON.stringify({ type: "metrics", data: { messageId: "m" } }))).status).toBe(400);
    const otherConversation = JSON.stringify({
      type: "metrics",
      data: { messageId: "m", conversationId: "other-room", metrics: {} },
    });
    expect((await post(otherConversation)).status).toBe(400);
    const huge = JSON.stringify({
      type: "metrics",
      data: { messageId: "big", conversationId: room, metrics: { padding: "x".repeat(70_000) } },
    });
    expect((await post(huge)).status).toBe(413);
    const received = await messagesBeforeMarker("after-bad-bodies");
    expect(received.filter((message) => message.type === "metrics")).toEqual([]);
  });

  it("the publisher reports a refusal without leaking the secret", async () => {
    const wrongSecret = "wrong-secret-that-must-not-leak";
    const publisher = createRoomPublisher({
      host: server.url,
      secret: wrongSecret,
      timeoutMs: PUBLISH_TIMEOUT_MS,
    });
    const failure = await publisher
      .publish(room, JSON.parse(metricsBody("x")))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RoomPublishError);
    expect((failure as RoomPublishError).status).toBe(401);
    expect((failure as Error).message).toMatch(/guarded-room/);
    expect((failure as Error).message).not.toContain(wrongSecret);
    expect(await publisher.health()).toBe("degraded");
  });

  it("health is ok with the right secret and degraded when the host is down", async () => {
    expect(
      await createRoomPublisher({ host: server.url, secret, timeoutMs: PUBLISH_TIMEOUT_MS }).health(),
    ).toBe("ok");
    const nowhere = createRoomPublisher({ host: "http://127.0.0.1:9", secret, timeoutMs: 2_000 });
    expect(await nowhere.health()).toBe("degraded");
    await expect(nowhere.publish(room, JSON.parse(metricsBody("y")))).rejects.toThrow(/unreachable/);
  });
});
