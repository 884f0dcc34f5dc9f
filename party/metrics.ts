import type * as Party from "partykit/server";
import type { RoomServerMessage } from "../src/schemas/room";
import { connectionTags } from "./audience";
import { authorizeConnection, authorizeWorkerRequest } from "./auth";
import { answerClientMessage } from "./client-messages";
import { json } from "./http";
import { replayTtlMs } from "./limits";
import { countConnections, publishToRoom } from "./publish";
import { countStored, expireReplay, forgetMetrics, storedMetrics } from "./replay";
import { SendQueue } from "./send-queue";

const send = (connection: Party.Connection, message: RoomServerMessage) =>
  connection.send(JSON.stringify(message));

/** One room per conversation: broadcasts the worker's metrics and status messages to its clients. */
export default class MetricsRoom implements Party.Server {
  readonly options = { hibernate: true };
  private readonly sends = new SendQueue();

  constructor(readonly room: Party.Room) {}

  static onBeforeConnect(request: Party.Request, lobby: Party.Lobby) {
    return authorizeConnection(request, lobby);
  }

  static onBeforeRequest(request: Party.Request, lobby: Party.Lobby) {
    return authorizeWorkerRequest(request, lobby);
  }

  getConnectionTags(_connection: Party.Connection, { request }: Party.ConnectionContext) {
    return connectionTags(request);
  }

  async onRequest(request: Party.Request) {
    if (request.method === "GET") {
      const replay = await countStored(this.room.storage);
      return json({ room: this.room.id, connections: countConnections(this.room), replay });
    }
    if (request.method === "DELETE") {
      await this.sends.run(() => forgetMetrics(this.room.storage));
      return json({ room: this.room.id, cleared: true });
    }
    return publishToRoom(this.room, request, this.replay, this.sends);
  }

  async onConnect(connection: Party.Connection) {
    await this.sends.join(connection, async () => {
      send(connection, {
        type: "status",
        data: { room: this.room.id, connections: countConnections(this.room) },
      });
      for (const message of await storedMetrics(this.room.storage, this.replay)) send(connection, message);
    });
  }

  async onAlarm() {
    await this.sends.run(() => expireReplay(this.room.storage, this.replay));
  }

  private get replay() {
    return { ttlMs: replayTtlMs(this.room.env) };
  }

  /** A client leaving is normal: answer its close frame, so it is not left waiting for one. */
  onClose(connection: Party.Connection) {
    connection.close(1000, "goodbye");
  }

  onMessage(message: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection) {
    send(sender, answerClientMessage(message));
  }
}

MetricsRoom satisfies Party.Worker;
