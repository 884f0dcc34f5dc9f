import { Worker } from "node:worker_threads";
import { sleep } from "../lib/workerd.ts";
import {
  type FromWatcher,
  metricsKey,
  partialKey,
  settledKey,
  type ToWatcher,
  type WatcherThreadData,
} from "./watcher-thread.ts";

/** How many clients connect at once, across all threads. */
const CONNECT_BATCH = 100;

export interface RoomWatchersOptions {
  apiUrl: string;
  room: string;
  clients: number;
  /** Watcher threads the clients are spread over (at most one per client). */
  threads: number;
  /** `false`: clients connect with `progress=off` (metrics frames only, no chat progress). */
  progress: boolean;
  /** The script a thread runs: one that calls `runWatcherThread` when it is not the main thread. */
  threadScript: URL;
}

/**
 * A room's partysocket clients, spread over watcher threads so that decoding frames for 1,000
 * clients does not queue behind one event loop. Receipt times are on {@link monotonicMs}.
 */
export class RoomWatchers {
  private readonly receipts = new Map<string, number[]>();

  private constructor(
    private readonly threads: Worker[],
    readonly clients: number,
  ) {
    for (const thread of threads)
      thread.on("message", (message: FromWatcher) => {
        if (message.type !== "receipts") return;
        const times = this.receipts.get(message.key);
        if (times) times.push(...message.times);
        else this.receipts.set(message.key, message.times);
      });
  }

  /** Starts the threads, each connecting its share of `clients`; resolves once all are open. */
  static async connect({ apiUrl, room, clients, threads, progress, threadScript }: RoomWatchersOptions) {
    const count = Math.max(1, Math.min(threads, clients));
    const started = Array.from({ length: count }, (_, index) => {
      const data: WatcherThreadData = {
        apiUrl,
        room,
        clients: Math.floor(clients / count) + (index < clients % count ? 1 : 0),
        connectBatch: Math.max(1, Math.ceil(CONNECT_BATCH / count)),
        progress,
      };
      return new Worker(threadScript, { workerData: data });
    });
    const watchers = new RoomWatchers(started, clients);
    try {
      await Promise.all(started.map((thread) => readyOf(thread, room)));
    } catch (error) {
      await watchers.close();
      throw error;
    }
    return watchers;
  }

  /** Receipts of the final `metrics` frame of `messageId`, once every client has it or `timeoutMs` passed. */
  metricsOf(messageId: string, timeoutMs: number): Promise<number[]> {
    return this.receiptsOf(metricsKey(messageId), timeoutMs);
  }

  /** Receipts of the partial `metrics` frame of `messageId` scored at `words` words. */
  partialOf(messageId: string, words: number, timeoutMs: number): Promise<number[]> {
    return this.receiptsOf(partialKey(messageId, words), timeoutMs);
  }

  /** Waits until every client has the closing `status` frame of `messageId` or `timeoutMs` passed. */
  async settledOf(messageId: string, timeoutMs: number): Promise<void> {
    await this.receiptsOf(settledKey(messageId), timeoutMs);
  }

  /** CPU time the watcher threads have used so far, in ms (all threads together). */
  async cpuMs(): Promise<number> {
    const perThread = await Promise.all(
      this.threads.map(
        (thread) =>
          new Promise<number>((resolve) => {
            const answered = (message: FromWatcher) => {
              if (message.type !== "cpu") return;
              thread.off("message", answered);
              resolve(message.ms);
            };
            thread.on("message", answered);
            thread.postMessage({ type: "cpu" } satisfies ToWatcher);
          }),
      ),
    );
    return perThread.reduce((sum, ms) => sum + ms, 0);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.threads.map(async (thread) => {
        thread.postMessage({ type: "close" } satisfies ToWatcher);
        await sleep(50);
        await thread.terminate();
      }),
    );
  }

  private async receiptsOf(key: string, timeoutMs: number): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    const arrived = () => this.receipts.get(key)?.length ?? 0;
    while (arrived() < this.clients && Date.now() < deadline) await sleep(1);
    if (arrived() < this.clients) await this.flush(key);
    const times = this.receipts.get(key) ?? [];
    this.receipts.delete(key);
    return times;
  }

  /** Collects what the threads got of `key` so far (some of their clients never got it). */
  private async flush(key: string): Promise<void> {
    await Promise.all(
      this.threads.map(
        (thread) =>
          new Promise<void>((resolve) => {
            const answered = (message: FromWatcher) => {
              if (message.type !== "receipts" || message.key !== key) return;
              thread.off("message", answered);
              resolve();
            };
            thread.on("message", answered);
            thread.postMessage({ type: "flush", key } satisfies ToWatcher);
          }),
      ),
    );
  }
}

function readyOf(thread: Worker, room: string): Promise<void> {
  return new Promise((resolve, reject) => {
    thread.on("message", (message: FromWatcher) => {
      if (message.type === "ready") resolve();
      if (message.type === "failed") reject(new Error(`a watcher thread of ${room}: ${message.error}`));
    });
    thread.once("error", reject);
    thread.once("exit", (code) => reject(new Error(`a watcher thread of ${room} exited with ${code}`)));
  });
}
