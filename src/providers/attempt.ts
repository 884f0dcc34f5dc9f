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

  constructor(
    parent: AbortSignal,
    private readonly deadline: number,
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
    const headersBy = Date.now() + firstByteMs;
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
