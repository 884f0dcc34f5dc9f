/** UTC calendar periods that usage is counted in and budgets reset with. */
export type Period = "day" | "month";

/** `2026-12-07` (UTC). */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** `2026-12` (UTC). */
export function monthOf(at: number): string {
  return new Date(at).toISOString().slice(0, 7);
}

/** When the period holding `at` ends: the next UTC midnight, or the first of the next month. */
export function periodEnd(period: Period, at: number): number {
  const date = new Date(at);
  return period === "day"
    ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1)
    : Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/** Every day from `from` to `to` (inclusive, `YYYY-MM-DD`), oldest first. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += 86_400_000)
    days.push(dayOf(at));
  return days;
}
