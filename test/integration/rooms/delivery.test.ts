import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoomPublisher, type RoomPublisher } from "../../../src/rooms/publisher";
import type { MetricsMessage, RoomServerMessage } from "../../../src/schemas/room";
import {
  connectRoomClient,
  type PartykitDevServer,
  type RoomClient,
  startPartykitDev,
  waitFor,
} from "../../helpers/partykit";

const secret = "delivery-test-secret-0123456789";
let server: PartykitDevServer;
let rooms: RoomPublisher;
const clients: RoomClient[] = [];

beforeAll(async () => {
  server = await startPartykitDev({ vars: { PARTY_SECRET: secret } });
  rooms = createRoomPublisher({ host: server.url, secret, timeoutMs: 10_000 });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await server?.stop();
});

async function join(room: string, query: Record<string, string> = {}): Promise<RoomClient> {
  const client = await connectRoomClient(server.host, room, secret, undefined, query);
  clients.push(client);
  await client.opened;
  return client;
}

function metrics(room: string, messageId: string): MetricsMessage {
  return {
    type: "metrics",
    data: { messageId, conversationId: room, metrics: { human_likeness_score: 42, source: "local" } },
  };
}

const metricsIds = (messages: RoomServerMessage[]) =>
  messages.flatMap((message) => (message.type === "metrics" ? [message.data.messageId] : []));

describe("metrics rooms deliver to the right clients", () => {
  it("greets a new client with the room and its connection count", async () => {
    const client = await join("greeting-room");
    await waitFor(() => client.messages.length > 0, "the status message");
    expect(client.messages[0]).toEqual({ type: "status", data: { room: "greeting-room", connections: 1 } });
  });

  it("a client receives the metrics of its room and none of another's", async () => {
    const alice = await join("room-alice");
    const bob = await join("room-bob");
    await rooms.publish("room-bob", metrics("room-bob", "for-bob"));
    await rooms.publish("room-alice", metrics("room-alice", "for-alice"));
    await waitFor(() => metricsIds(alice.messages).length === 1, "alice's metrics");
    await waitFor(() => metricsIds(bob.messages).length === 1, "bob's metrics");
    expect(metricsIds(alice.messages)).toEqual(["for-alice"]);
    expect(metricsIds(bob.messages)).toEqual(["for-bob"]);
    expect(alice.messages.find((message) => message.type === "metrics")).toEqual(
      metrics("room-alice", "for-alice"),
    );
  });

  it("50 clients in one room each receive every message exactly once, in order", async () => {
    const crowd = await Promise.all(Array.from({ length: 50 }, () => join("crowd-room")));
    const sent = ["m1", "m2", "m3"];
    for (const id of sent) await rooms.publish("crowd-room", metrics("crowd-room", id));
    await rooms.publish("crowd-room", { type: "status", data: { messageId: "m3", state: "done" } });
    const doneArrived = (client: RoomClient) =>
      client.messages.some((message) => message.type === "status" && "state" in message.data);
    await waitFor(() => crowd.every(doneArrived), "the final status at every client");
    for (const client of crowd) {
      expect(metricsIds(client.messages)).toEqual(sent);
      expect(client.unexpected).toEqual([]);
    }
  });

  it("clients joining while each message goes out to 250 others get every final metrics message once, in order", async () => {
    const room = "busy-room";
    const crowd: RoomClient[] = [];
    for (let batch = 0; batch < 5; batch++)
      crowd.push(...(await Promise.all(Array.from({ length: 50 }, () => join(room)))));
    const sent = Array.from({ length: 12 }, (_, index) => `busy-${index + 1}`);
    const joining: Promise<RoomClient>[] = [];
    for (const id of sent) {
      joining.push(join(room), join(room));
      await rooms.publish(room, metrics(room, id));
    }
    const joined = await Promise.all(joining);
    await rooms.publish(room, { type: "status", data: { messageId: "busy-12", state: "done" } });
    const everyone = [...crowd, ...joined];
    const doneArrived = (client: RoomClient) =>
      client.messages.some((message) => message.type === "status" && "state" in message.data);
    // 274 sockets on partykit dev: on a busy machine the last of them can take a while.
    await waitFor(() => everyone.every(doneArrived), "the final status at every client", 60_000);
    for (const client of everyone) {
      expect(client.messages[0]).toMatchObject({ type: "status", data: { room } });
      expect(metricsIds(client.messages)).toEqual(sent);
      expect(client.unexpected).toEqual([]);
    }
  }, 150_000);

  it("a client joining late gets the stored metrics replayed, oldest first", async () => {
    const ids = Array.from({ length: 25 }, (_, index) => `replayed-${index + 1}`);
    for (const id of ids) await rooms.publish("replay-room", metrics("replay-room", id));
    const late = await join("replay-room");
    await waitFor(() => metricsIds(late.messages).includes("replayed-25"), "the newest replayed message");
    expect(late.messages[0]).toMatchObject({ type: "status", data: { room: "replay-room" } });
    expect(metricsIds(late.messages)).toEqual(ids.slice(-20));
  });

  it("a cleared room (a deleted conversation) replays nothing to a client joining later", async () => {
    await rooms.publish("cleared-room", metrics("cleared-room", "before-clear"));
    await rooms.clear("cleared-room");
    await rooms.publish("cleared-room", metrics("cleared-room", "after-clear"));
    const late = await join("cleared-room");
    await waitFor(() => metricsIds(late.messages).length > 0, "the replay");
    expect(metricsIds(late.messages)).toEqual(["after-clear"]);
  });

  it("status messages are broadcast but not replayed", async () => {
    await rooms.publish("status-room", { type: "status", data: { messageId: "x", state: "generating" } });
    await rooms.publish("status-room", metrics("status-room", "after-status"));
    const late = await join("status-room");
    await waitFor(() => metricsIds(late.messages).length === 1, "the replay");
    expect(late.messages.filter((message) => message.type === "status")).toHaveLength(1);
  });

  it("a client that connected with progress=off gets the metrics but no chat progress; the others get both", async () => {
    const gaugeOnly = await join("progress-room", { progress: "off" });
    const watcher = await join("progress-room");
    await rooms.publish("progress-room", { type: "status", data: { messageId: "p1", state: "generating" } });
    await rooms.publish("progress-room", metrics("progress-room", "p1"));
    await rooms.publish("progress-room", { type: "status", data: { messageId: "p1", state: "done" } });
    await rooms.publish("progress-room", metrics("progress-room", "p2"));
    await waitFor(() => metricsIds(gaugeOnly.messages).includes("p2"), "the second metrics, progress off");
    await waitFor(() => metricsIds(watcher.messages).includes("p2"), "the second metrics");
    const kinds = (client: RoomClient) =>
      client.messages.map((message) =>
        message.type === "status" && "state" in message.data ? message.data.state : message.type,
      );
    expect(kinds(gaugeOnly)).toEqual(["status", "metrics", "metrics"]);
    expect(gaugeOnly.messages[0]).toMatchObject({ type: "status", data: { room: "progress-room" } });
    expect(kinds(watcher)).toEqual(["status", "generating", "metrics", "done", "metrics"]);
  });

  it("an oversized or malformed client message reaches nobody else and disturbs nobody", async () => {
    const sender = await join("noisy-room");
    const listeners = await Promise.all([join("noisy-room"), join("noisy-room")]);
    sender.socket.send("x".repeat(4096));
    sender.socket.send("{not json");
    sender.socket.send(JSON.stringify({ type: "metrics", data: { messageId: "forged", metrics: {} } }));
    sender.socket.send(JSON.stringify({ type: "ping", id: "p1" }));
    await waitFor(() => sender.messages.some((message) => message.type === "pong"), "the pong");

    await rooms.publish("noisy-room", metrics("noisy-room", "after-noise"));
    for (const client of [sender, ...listeners]) {
      await waitFor(() => metricsIds(client.messages).includes("after-noise"), "the next broadcast");
    }
    expect(
      sender.messages.filter((message) => message.type === "error").map((message) => message.data.code),
    ).toEqual(["message_too_large", "invalid_message", "invalid_message"]);
    expect(sender.messages.find((message) => message.type === "pong")).toEqual({ type: "pong", id: "p1" });
    for (const listener of listeners) {
      expect(listener.messages.map((message) => message.type)).toEqual(["status", "metrics"]);
      expect(listener.unexpected).toEqual([]);
    }
  });
});
