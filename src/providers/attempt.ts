import { linkedController } from "../lib/abort";

/** The limits that can end a try (see {@link UpstreamAttempt.timedOutBy}). */
export type TimeLimit = "first_byte" | "share" | "deadline" | "stream";

const attempts = new WeakMap<AbortSignal, UpstreamAttempt>();

/**
 * The abort signal of one try at one provider: it aborts when the client goes away (with the client's
 * reason), when no response headers arrived within the first-byte limit, when headers came but no
 * content by the end of the provider's share of the chain, or at the chain's deadline (each with a
 * `TimeoutError`). One controller, one listener and one timer per try, however the limits combine:
 * a limit later than the pending timer only moves the time it acts at, and the timer re-arms for
 * the rest when it fires (a try that succeeds sets one timer and clears it once). `callUpstream`
 * finds the attempt behind a signal and arms the first-byte limit.
 *
 * @example
 * const attempt = new UpstreamAttempt(clientSignal, Date.now() + 60_000);
 * try { await provider.complete(request, attempt.signal); } finally { attempt.release(); }
 */
export class UpstreamAttempt {
  private readonly controller: AbortController;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the pending timer fires, and when the limit it stands for is due (never earlier). */
  private firesAt = 0;
  private dueAt = 0;
  private onDue: () => void = () => {};
  private waitingForHeaders: { provider: string } | undefined;
  private provider = "the provider";
  private limitHit: TimeLimit | undefined;
  private released = false;
  private stream: { idleMs: number; endsAt: number; lastData: number } | undefined;

  /**
   * @param deadline when the whole chain ends (a stream's rest included)
   * @param shareEnd the latest the response headers, and then its first content, may come: the
   *   provider's share of the chain
   */
  constructor(
    parent: AbortSignal,
    private readonly deadline: number,
    private readonly shareEnd = deadline,
  ) {
    this.controller = linkedController(parent);
    attempts.set(this.controller.signal, this);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The attempt that owns `signal`, if it came from one. */
  static of(signal: AbortSignal): UpstreamAttempt | undefined {
    return attempts.get(signal);
  }

  /** Aborts unless response headers arrive within `firstByteMs` (and never later than the share's end). */
  expectHeaders(provider: string, firstByteMs: number): void {
    this.provider = provider;
    this.waitingForHeaders = { provider };
    const ownLimit = Date.now() + firstByteMs;
    const headersBy = Math.min(ownLimit, this.shareEnd);
    if (headersBy < this.deadline) {
      this.arm(headersBy - Date.now(), () => this.headersTimedOut(ownLimit <= this.shareEnd));
    } else this.armDeadline();
  }

  /**
   * Response headers are in. The content must still come by the end of the provider's share: a
   * server that answers `200` and then nothing must not hold the chain until its deadline.
   */
  headersArrived(): void {
    this.waitingForHeaders = undefined;
    if (this.shareEnd < this.deadline) {
      this.arm(this.shareEnd - Date.now(), () =>
        this.timeout("share", `${this.provider} sent no content within its share of the time budget`),
      );
    } else this.armDeadline();
  }

  /** The first content (a whole JSON answer, or a stream's first event) is in: only the deadline is left. */
  contentArrived(): void {
    this.armDeadline();
  }

  /**
   * Which limit aborted the try, if one did: the provider's own first-byte limit, the end of its
   * share of the chain, the chain's deadline, or a stream's idle or maximum time.
   */
  get timedOutBy(): TimeLimit | undefined {
    return this.limitHit;
  }

  /** Makes sure the deadline is enforced even when no first-byte limit was armed. */
  ensureArmed(): void {
    if (this.timer === undefined && !this.released) this.armDeadline();
  }

  /**
   * The answer has started streaming: from now on the chain's deadline no longer applies. The
   * stream is aborted when no data came for `idleMs` ({@link dataArrived} on each chunk), or
   * `maxMs` from now, whichever comes first.
   */
  streaming(idleMs: number, maxMs: number): void {
    this.clearTimer();
    const now = Date.now();
    this.stream = { idleMs, endsAt: now + maxMs, lastData: now };
    this.armStream();
  }

  /** A chunk of the stream arrived (cheap: the timer is re-armed only when it fires). */
  dataArrived(): void {
    if (this.stream) this.stream.lastData = Date.now();
  }

  private armStream(): void {
    const stream = this.stream;
    if (!stream) return;
    const now = Date.now();
    const idleAt = stream.lastData + stream.idleMs;
    if (now >= stream.endsAt) this.timeout("stream", "the stream reached its maximum duration");
    else if (now >= idleAt) this.timeout("stream", `no data from the provider for ${stream.idleMs} ms`);
    else this.arm(Math.min(idleAt, stream.endsAt) - now, () => this.armStream());
  }

  /** Stops the timer: the try failed, or its answer is complete. */
  release(): void {
    this.released = true;
    this.clearTimer();
  }

  private headersTimedOut(ownLimit: boolean): void {
    const waiting = this.waitingForHeaders;
    if (waiting) this.timeout(ownLimit ? "first_byte" : "share", `${waiting.provider} first byte timeout`);
    else this.armDeadline();
  }

  private armDeadline(): void {
    this.arm(this.deadline - Date.now(), () =>
      this.timeout("deadline", "the provider chain ran out of time"),
    );
  }

  /** Sets the one limit in force: `onTimeout` runs `ms` from now, unless another limit replaces it first. */
  private arm(ms: number, onTimeout: () => void): void {
    if (this.released) return;
    const now = Date.now();
    this.dueAt = now + Math.max(0, ms);
    this.onDue = onTimeout;
    // The pending timer fires no later than the new limit: it re-arms for the rest then.
    if (this.timer !== undefined && this.firesAt <= this.dueAt) return;
    this.clearTimer();
    this.setTimer(this.dueAt - now);
  }

  private setTimer(ms: number): void {
    this.firesAt = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const rest = this.dueAt - Date.now();
      if (rest > 0) this.setTimer(rest);
      else this.onDue();
    }, ms);
  }

  private timeout(limit: TimeLimit, message: string): void {
    this.limitHit ??= limit;
    this.controller.abort(new DOMException(message, "TimeoutError"));
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
