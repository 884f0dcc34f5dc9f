import type { Example } from "./pipeline.ts";

/** Lines of the spliced-text evaluation (filled in below). */
export function spliceEvaluation(_examples: readonly Example[]): string[] {
  return [];
}
