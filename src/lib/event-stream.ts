import type { Context } from "hono";

/** The writing end of a Server-Sent Events answer. */
export interface EventStream {
  /** Queues whole SSE text (`event: …\ndata: …\n\n`); a no-op once the client has gone. */
  write(text: string): void;
  /** True once the client went away (the answer's body was cancelled). */
  readonly aborted: boolean;
  /** Runs `listener` when the client goes away. */
  onAbort(listener: () => void): void;
}

const encoder = new TextEncoder();

/**
 * Answers with Server-Sent Events written by `produce`, and closes the stream when it settles.
 * One `ReadableStream` whose chunks are enqueued as they are written: the response reads it directly,
 * without hono's `streamSSE` layers (a TransformStream, a writer promise per write, and a second
 * stream pulling from the first), which cost more worker CPU per chunk than the chunk's own work.
 * Headers set on `c` before (rate limits, request id) are kept.
 *
 * @example
 * return eventStream(c, async (events) => {
 *   events.write(`event: start\ndata: {}\n\n`);
 * });
 */
export function eventStream(c: Context, produce: (events: EventStream) => Promise<void>): Response {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let aborted = false;
  let closed = false;
  const abortListeners: (() => void)[] = [];
  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    cancel() {
      if (aborted || closed) return;
      aborted = true;
      for (const listener of abortListeners.splice(0)) listener();
    },
  });
  const events: EventStream = {
    write(text) {
      if (aborted || closed) return;
      controller?.enqueue(encoder.encode(text));
    },
    get aborted() {
      return aborted;
    },
    onAbort(listener) {
      abortListeners.push(listener);
    },
  };
  const finish = () => {
    if (aborted || closed) return;
    closed = true;
    controller?.close();
  };
  produce(events).then(finish, (error: unknown) => {
    if (!aborted && !closed) controller?.error(error);
    closed = true;
  });
  c.header("Content-Type", "text/event-stream");
  c.header("Cache-Control", "no-cache");
  c.header("Connection", "keep-alive");
  return c.newResponse(body);
}
