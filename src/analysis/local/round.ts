/** Rounds to `digits` decimals; `-0` becomes `0`. */
export function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor + 0;
}
