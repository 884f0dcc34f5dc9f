import { linkedController } from "../lib/abort";

const attempts = new WeakMap<AbortSignal, UpstreamAttempt>();

/**
 * The abort signal of one try at one provider: it aborts when the client goes away (with the client's
 * reason), when no response headers arrived within the first-byte limit, or at the chain's deadline
 * (both with a `TimeoutError`). One controller, one listener and one timer per try, however the
 * limits combine; `callUpstream` finds the attempt behind a signal and arms the first-byte limit.
 *
 * @example
 * const attempt = new UpstreamAttempt(clientSignal, Date.now() + 60_000);
 * try { await provider.complete(request, attempt.signal); } finally { attempt.release(); }
 */
export class UpstreamAttempt {
  private readonly controller: AbortController;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waitingForHeaders: { provider: string } | undefined;
  private released = false;
  private stream: { idleMs: number; endsAt: number; lastData: number } | undefined;

  /**
   * @param deadline when the whole chain ends (a stream's rest included)
   * @param headersDeadline the latest the response headers may come: the provider's share of the chain
   */
  constructor(
    parent: AbortSignal,
    private readonly deadline: number,
    private readonly headersDeadline = deadline,
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

  /** Aborts unless response headers arrive within `firstByteMs` (and never later than the deadline). */
  expectHeaders(provider: string, firstByteMs: number): void {
    this.waitingForHeaders = { provider };
    this.clearTimer();
    const headersBy = Math.min(Date.now() + firstByteMs, this.headersDeadline);
    if (headersBy < this.deadline) this.arm(headersBy - Date.now(), () => this.headersTimedOut());
    else this.armDeadline();
  }

  /** Response headers are in: from now on only the deadline (and the client) can abort. */
  headersArrived(): void {
    this.waitingForHeaders = undefined;
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
    if (now >= stream.endsAt) this.timeout("the stream reached its maximum duration");
    else if (now >= idleAt) this.timeout(`no data from the provider for ${stream.idleMs} ms`);
    else this.arm(Math.min(idleAt, stream.endsAt) - now, () => this.armStream());
  }

  /** Stops the timer: the try failed, or its answer is complete. */
  release(): void {
    this.released = true;
    this.clearTimer();
  }

  private headersTimedOut(): void {
    const waiting = this.waitingForHeaders;
    if (waiting) this.timeout(`${waiting.provider} first byte timeout`);
    else this.armDeadline();
  }

  private armDeadline(): void {
    this.arm(this.deadline - Date.now(), () => this.timeout("the provider chain ran out of time"));
  }

  private arm(ms: number, onTimeout: () => void): void {
    if (this.released) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        onTimeout();
      },
      Math.max(0, ms),
    );
  }

  private timeout(message: string): void {
    this.controller.abort(new DOMException(message, "TimeoutError"));
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
