import type * as Party from "partykit/server";
import type { RoomServerMessage } from "../src/schemas/room";
import { authorizeConnection, authorizeWorkerRequest } from "./auth";
import { answerClientMessage } from "./client-messages";
import { json } from "./http";
import { countConnections, publishToRoom } from "./publish";
import { forgetMetrics, storedMetrics } from "./replay";

const send = (connection: Party.Connection, message: RoomServerMessage) =>
  connection.send(JSON.stringify(message));

/** One room per conversation: broadcasts the worker's metrics and status messages to its clients. */
export default class MetricsRoom implements Party.Server {
  readonly options = { hibernate: true };

  constructor(readonly room: Party.Room) {}

  static onBeforeConnect(request: Party.Request, lobby: Party.Lobby) {
    return authorizeConnection(request, lobby);
  }

  static onBeforeRequest(request: Party.Request, lobby: Party.Lobby) {
    return authorizeWorkerRequest(request, lobby);
  }

  async onRequest(request: Party.Request) {
    if (request.method === "GET")
      return json({ room: this.room.id, connections: countConnections(this.room) });
    if (request.method === "DELETE") {
      await forgetMetrics(this.room.storage);
      return json({ room: this.room.id, cleared: true });
    }
    return publishToRoom(this.room, request);
  }

  async onConnect(connection: Party.Connection) {
    send(connection, {
      type: "status",
      data: { room: this.room.id, connections: countConnections(this.room) },
    });
    for (const message of await storedMetrics(this.room.storage)) send(connection, message);
  }

  onMessage(message: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection) {
    send(sender, answerClientMessage(message));
  }
}

MetricsRoom satisfies Party.Worker;
