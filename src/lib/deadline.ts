/**
 * Settles like `work`, or rejects with `timeoutError()` once `ms` milliseconds have passed first.
 * `work` is not cancelled (a caller that can abort should pass a signal to it as well).
 *
 * @example
 * const rows = await withDeadline(sql`select 1`, 500, () => new Error("timeout after 500 ms"));
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
