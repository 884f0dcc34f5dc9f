import { inheritTrace } from "../telemetry/trace";

/**
 * An AbortController that also aborts, with the same reason, when `parent` does: cheaper per
 * request than `AbortSignal.any`, which the hot path would otherwise call twice. Its signal belongs
 * to `parent`'s trace, if any (provider attempts find their request's trace by their signal).
 */
export function linkedController(parent: AbortSignal): AbortController {
  const controller = new AbortController();
  inheritTrace(controller.signal, parent);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener("abort", () => controller.abort(parent.reason), { once: true });
  return controller;
}

/**
 * Waits `ms` milliseconds; when `signal` aborts first, settles at once — resolving, or rejecting
 * with what `onAbort` returns.
 *
 * @example
 * await sleep(250, request.signal);
 */
export function sleep(ms: number, signal?: AbortSignal, onAbort?: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      if (onAbort) reject(onAbort());
      else resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    if (signal?.aborted) stop();
    else signal?.addEventListener("abort", stop, { once: true });
  });
}
