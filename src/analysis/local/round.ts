/** Rounds to `digits` decimals; `-0` becomes `0`. */
export function round(value: number, digits = 4): number {
  const factor = digits === 4 ? 10_000 : digits === 2 ? 100 : 10 ** digits;
  return Math.round(value * factor) / factor + 0;
}

/** `count / total`, 0 when `total` is 0. */
export function shareOf(count: number, total: number): number {
  return total === 0 ? 0 : count / total;
}
