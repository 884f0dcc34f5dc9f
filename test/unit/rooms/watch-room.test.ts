import { describe, expect, it } from "vitest";
import { watchRoom } from "../../../src/client/rooms";

/** Records the URL partysocket opens, and never connects. */
function recordingSocket(urls: string[]): typeof globalThis.WebSocket {
  return class {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readyState = 0;
    binaryType = "blob";
    constructor(url: string) {
      urls.push(url);
    }
    addEventListener() {}
    removeEventListener() {}
    close() {}
    send() {}
  } as unknown as typeof globalThis.WebSocket;
}

const token = async () => ({
  token: "t0k3n",
  room: "conv-1",
  expiresAt: 4_102_444_800,
  host: "rooms.example",
});

async function openedUrl(handlers: Parameters<typeof watchRoom>[2]): Promise<URL> {
  const urls: string[] = [];
  const watch = await watchRoom("conv-1", token, handlers, { WebSocket: recordingSocket(urls) });
  for (let tries = 0; urls.length === 0 && tries < 100; tries += 1)
    await new Promise((r) => setTimeout(r, 5));
  watch.close();
  return new URL(urls[0] ?? "ws://missing");
}

describe("watchRoom", () => {
  it("asks the room for metrics only when nobody listens to chat progress", async () => {
    const url = await openedUrl({ onMetrics: () => undefined });
    expect(url.searchParams.get("token")).toBe("t0k3n");
    expect(url.searchParams.get("progress")).toBe("off");
  });

  it("takes every frame when an onStatus handler is given", async () => {
    const url = await openedUrl({ onMetrics: () => undefined, onStatus: () => undefined });
    expect(url.searchParams.get("token")).toBe("t0k3n");
    expect(url.searchParams.has("progress")).toBe(false);
  });
});
