import WebSocket from "ws";
import type { SampledProfile } from "./cpu-profile.ts";

/** One inspector session on a workerd worker: workerd serves one session per process at a time. */
export interface InspectorSession {
  /** Records a V8 CPU profile while `work` runs. */
  profile(work: () => Promise<void>): Promise<SampledProfile>;
  close(): void;
}

/** Connects to a workerd worker's V8 inspector (`--inspector-addr`). */
export async function openInspector(inspectorPort: number, service: string): Promise<InspectorSession> {
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
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 200 });
  return {
    async profile(work) {
      await send("Profiler.start");
      await work();
      return (await send<{ profile: SampledProfile }>("Profiler.stop")).profile;
    },
    close: () => socket.close(),
  };
}

/**
 * Records a V8 CPU profile of a workerd worker through its inspector (`--inspector-addr`) while
 * `work` runs.
 */
export async function profileWorker(
  inspectorPort: number,
  service: string,
  work: () => Promise<void>,
): Promise<SampledProfile> {
  const session = await openInspector(inspectorPort, service);
  try {
    return await session.profile(work);
  } finally {
    session.close();
  }
}
