import { spawn } from "node:child_process";
import { join } from "node:path";
import PartySocket from "partysocket";
import WebSocket from "ws";
import { createRoomPublisher, type RoomPublisher } from "../../src/rooms/publisher";
import { signRoomToken } from "../../src/rooms/token";
import { type RoomServerMessage, RoomServerMessageSchema } from "../../src/schemas/room";
import {
  binDir,
  freePort,
  PortTakenError,
  repoRoot,
  signalGroup,
  stopGroup,
  waitUntilServing,
  withFreshPorts,
} from "./processes";

export interface PartykitDevServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`, the form partysocket's `host` takes. */
  host: string;
  port: number;
  /** The dev server's process id, which also names its process group (workerd runs in it). */
  pid: number;
  /** Everything the dev server printed so far. */
  output(): string;
  /** Freezes the dev server's processes (SIGSTOP): connections open, nothing answers — a stalled room. */
  pause(): void;
  /** Lets a paused dev server run again (SIGCONT). */
  resume(): void;
  stop(): Promise<void>;
}

export interface StartPartykitDevOptions {
  /** Variables passed with `--var`, e.g. `{ PARTY_SECRET: "…" }`. */
  vars?: Record<string, string>;
  readyTimeoutMs?: number;
}

/**
 * Starts `partykit dev` for this repository on a free port, without persisted state, and waits until it serves.
 *
 * @example
 * const server = await startPartykitDev({ vars: { PARTY_SECRET: secret } });
 * afterAll(() => server.stop());
 */
export function startPartykitDev(options: StartPartykitDevOptions = {}): Promise<PartykitDevServer> {
  return withFreshPorts(() => startOnce(options));
}

async function startOnce({
  vars = {},
  readyTimeoutMs = 60_000,
}: StartPartykitDevOptions): Promise<PartykitDevServer> {
  const port = await freePort();
  const varArgs = Object.entries(vars).flatMap(([key, value]) => ["--var", `${key}=${value}`]);
  // As the dev script runs it: the preload keeps the rooms and partykit's inspector on loopback.
  const child = spawn(
    process.execPath,
    [
      "--import",
      join(repoRoot, "scripts", "dev", "partykit-on-loopback.ts"),
      join(repoRoot, "node_modules", "partykit", "dist", "bin.mjs"),
      "dev",
      "-p",
      String(port),
      "--persist",
      "false",
      "--disable-request-cf-fetch",
      "--no-hotkeys",
      ...varArgs,
    ],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ""}`, CI: "true", FORCE_COLOR: "0" },
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const signal = (name: NodeJS.Signals) => {
    if (child.pid !== undefined) signalGroup(child.pid, name);
  };
  const server = {
    url,
    host: `127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    output: () => output,
    pause: () => signal("SIGSTOP"),
    resume: () => signal("SIGCONT"),
    stop: async () => {
      signal("SIGCONT");
      await stopGroup(child);
    },
  };
  try {
    // The rooms answer in JSON (a refusal, here); a server that took the port first does not.
    await waitUntilServing(`${url}/parties/main/readiness-probe`, child, readyTimeoutMs, (response) =>
      (response.headers.get("content-type") ?? "").includes("application/json"),
    );
  } catch (error) {
    await server.stop();
    const message = `partykit dev did not start: ${(error as Error).message}\n${output}`;
    throw error instanceof PortTakenError ? new PortTakenError(message) : new Error(message);
  }
  return server;
}

/** Polls `condition` until it holds; rejects with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface RoomClient {
  socket: PartySocket;
  /** Every message received, parsed and validated. */
  messages: RoomServerMessage[];
  /** Messages that did not match the room message schema (should stay empty). */
  unexpected: string[];
  opened: Promise<void>;
  close(): void;
}

/** Connects a partysocket client (Node `ws`) to a room with a freshly signed token (and `query`, if given). */
export async function connectRoomClient(
  host: string,
  room: string,
  secret: string,
  token?: string,
  query: Record<string, string> = {},
): Promise<RoomClient> {
  const roomToken = token ?? (await signRoomToken({ room, secret, expiresAt: Date.now() + 300_000 }));
  const socket = new PartySocket({
    host,
    room,
    query: { ...query, token: roomToken },
    WebSocket,
    maxRetries: 0,
  });
  const messages: RoomServerMessage[] = [];
  const unexpected: string[] = [];
  socket.addEventListener("message", (event) => {
    const text = String(event.data);
    const parsed = RoomServerMessageSchema().safeParse(JSON.parse(text));
    if (parsed.success) messages.push(parsed.data);
    else unexpected.push(text);
  });
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("close", () => reject(new Error(`socket to ${room} closed before opening`)), {
      once: true,
    });
  });
  return { socket, messages, unexpected, opened, close: () => socket.close() };
}

/** Tries a raw WebSocket upgrade; resolves with the HTTP status of a refusal or `"open"`. */
export function attemptConnection(url: string): Promise<number | "open"> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on("open", () => {
      resolve("open");
      socket.close();
    });
    socket.on("error", (error) => reject(error));
  });
}

export interface RoomsUnderTest {
  server: PartykitDevServer;
  /** The worker's publisher, pointed at this server. */
  rooms: RoomPublisher;
  /** Connects a client to `room` with a fresh token and waits until it is open; closed by `stop`. */
  join(room: string): Promise<RoomClient>;
  stop(): Promise<void>;
}

/**
 * `partykit dev` with `PARTY_SECRET` (and `vars`), the worker's publisher for it, and clients that
 * are closed with it.
 *
 * @example
 * const stand = await startRoomsUnderTest(secret);
 * const client = await stand.join("room-1");
 */
export async function startRoomsUnderTest(
  secret: string,
  vars: Record<string, string> = {},
): Promise<RoomsUnderTest> {
  const server = await startPartykitDev({ vars: { PARTY_SECRET: secret, ...vars } });
  const rooms = createRoomPublisher({ host: server.url, secret, timeoutMs: 10_000 });
  const clients: RoomClient[] = [];
  return {
    server,
    rooms,
    async join(room) {
      const client = await connectRoomClient(server.host, room, secret);
      clients.push(client);
      await client.opened;
      return client;
    },
    async stop() {
      for (const client of clients) client.close();
      await server.stop();
    },
  };
}
