import { expect } from "vitest";
import { type Metrics, MetricsSchema } from "../../../src/schemas/metrics";

/** Every number anywhere inside a value. */
export function numbersIn(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(numbersIn);
  return [];
}

/** A local analysis that passes the schema, has only finite numbers and a consistent verdict. */
export function expectWellFormed(metrics: Metrics): void {
  expect(MetricsSchema().safeParse(metrics).success).toBe(true);
  for (const number of numbersIn(metrics)) expect(Number.isFinite(number)).toBe(true);
  expect(metrics.human_likeness_score).toBeGreaterThanOrEqual(0);
  expect(metrics.human_likeness_score).toBeLessThanOrEqual(100);
  expect(metrics.is_ai_generated).toBe(metrics.human_likeness_score < metrics.threshold);
  expect(metrics.source).toBe("local");
}
