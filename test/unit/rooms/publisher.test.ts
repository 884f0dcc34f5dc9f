import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishBearer } from "../../../src/rooms/keys";
import { createRoomPublisher, RoomPublishError } from "../../../src/rooms/publisher";
import type { RoomMessage } from "../../../src/schemas/room";

const secret = "publisher-unit-secret-42";
const received: { method?: string; url?: string; authorization?: string; body: string }[] = [];
let server: Server;
let host: string;

beforeAll(async () => {
  server = createServer(async (request: IncomingMessage, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    received.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.authorization,
      body,
    });
    if (request.url?.endsWith("/silent")) return;
    if (request.url?.endsWith("/echo-refusal")) {
      response.writeHead(401).end(`refused ${request.headers.authorization}`);
      return;
    }
    response.writeHead(202, { "content-type": "application/json" }).end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const message: RoomMessage = {
  type: "metrics",
  data: { messageId: "m1", conversationId: "conv_1", metrics: { human_likeness_score: 80 } },
};

describe("room publisher", () => {
  it("POSTs the message as JSON to the main party's room with the bearer derived from the secret", async () => {
    await createRoomPublisher({ host, secret }).publish("conv_1", message);
    expect(received.at(-1)).toEqual({
      method: "POST",
      url: "/parties/main/conv_1",
      authorization: `Bearer ${await publishBearer(secret)}`,
      body: JSON.stringify(message),
    });
  });

  it("refuses invalid room ids and messages before calling the host", async () => {
    const publisher = createRoomPublisher({ host, secret });
    const before = received.length;
    await expect(publisher.publish("../admin", message)).rejects.toThrow(/Invalid room id/);
    const broken = { type: "metrics", data: { messageId: "m" } } as unknown as RoomMessage;
    await expect(publisher.publish("conv_1", broken)).rejects.toThrow(/Invalid room message/);
    expect(received.length).toBe(before);
  });

  it("gives up after its timeout with an error that says so", async () => {
    const logged: string[] = [];
    const publisher = createRoomPublisher({
      host,
      secret,
      timeoutMs: 200,
      log: (event) => logged.push(String(event.detail)),
    });
    const failure = await publisher.publish("silent", message).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RoomPublishError);
    expect((failure as Error).message).toMatch(/silent.*no answer within 200 ms/);
    expect(logged).toHaveLength(1);
  });

  it("never puts the secret into an error, even when the room echoes it", async () => {
    const failure = await createRoomPublisher({ host, secret })
      .publish("echo-refusal", message)
      .catch((error: unknown) => error);
    expect((failure as RoomPublishError).status).toBe(401);
    expect((failure as Error).message).toContain("refused");
    expect((failure as Error).message).not.toContain(secret);
    expect((failure as Error).message).not.toContain(await publishBearer(secret));
  });
});
