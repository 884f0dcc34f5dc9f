/** A sender that never queues: at most one send in flight, and only the newest message waiting. */
export interface LatestWins<T> {
  /** Sends now if nothing is in flight; otherwise the message waits, replacing any waiting one. */
  offer(message: T): void;
  /** Drops the waiting message and settles once the send in flight (if any) is done. */
  close(): Promise<void>;
}

/**
 * Coalesces a burst of messages to a slow receiver: the caller never waits, a message that is
 * superseded before it could go is dropped, and the order of the messages that go is kept.
 * `send` failures are the sender's to report; they never stop later sends. `track` sees each send
 * (e.g. `waitUntil`, so the runtime keeps it alive after the response).
 *
 * @example
 * const partials = latestWins((message) => publish(chat, services, message), waitUntil);
 * partials.offer(message); // returns at once
 * await partials.close(); // before the final message, so no partial can overtake it
 */
export function latestWins<T>(
  send: (message: T) => Promise<void>,
  track: (work: Promise<void>) => void = () => undefined,
): LatestWins<T> {
  let waiting: { message: T } | undefined;
  let inFlight: Promise<void> | undefined;
  let closed = false;

  const start = (message: T) => {
    const sent: Promise<void> = send(message)
      .catch(() => undefined)
      .then(() => {
        inFlight = undefined;
        const next = waiting;
        waiting = undefined;
        if (next && !closed) start(next.message);
      });
    inFlight = sent;
    track(sent);
  };

  return {
    offer(message) {
      if (closed) return;
      if (inFlight) waiting = { message };
      else start(message);
    },
    close() {
      closed = true;
      waiting = undefined;
      return inFlight ?? Promise.resolve();
    },
  };
}
