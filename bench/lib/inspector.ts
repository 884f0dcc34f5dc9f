import WebSocket from "ws";
import type { SampledProfile } from "./cpu-profile.ts";

/**
 * Records a V8 CPU profile of a workerd worker through its inspector (`--inspector-addr`) while
 * `work` runs.
 */
export async function profileWorker(
  inspectorPort: number,
  service: string,
  work: () => Promise<void>,
): Promise<SampledProfile> {
  const socket = new WebSocket(`ws://127.0.0.1:${inspectorPort}/${service}`);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  let nextId = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  const send = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      waiting.set(id, (result) => resolve(result as T));
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await send("Profiler.enable");
    await send("Profiler.setSamplingInterval", { interval: 200 });
    await send("Profiler.start");
    await work();
    return (await send<{ profile: SampledProfile }>("Profiler.stop")).profile;
  } finally {
    socket.close();
  }
}
