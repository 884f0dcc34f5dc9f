import type { Turn } from "../schemas/chat";
import type { MemoryMatch } from "../vector";

/** How recalled exchanges are introduced to the model, so it can tell them from the recent turns. */
export const RECALLED_HEADER = "Recalled from earlier in this conversation (most relevant first):";

/**
 * The context with recalled exchanges in front, as one system turn marked as recalled, kept within
 * `budget` characters: the recent history always wins, and recalled exchanges that repeat a turn
 * already in it, or that no longer fit, are left out. Answers the turns and the exchanges used.
 *
 * @example
 * const { turns, used } = withRecalled(history, matches, 64_000 - message.length);
 */
export function withRecalled(
  history: readonly Turn[],
  recalled: readonly MemoryMatch[],
  budget: number,
): { turns: Turn[]; used: MemoryMatch[] } {
  const recent = new Set(history.map((turn) => turn.content));
  let room = budget - history.reduce((sum, turn) => sum + turn.content.length, 0) - RECALLED_HEADER.length;
  const used: MemoryMatch[] = [];
  const lines: string[] = [];
  for (const match of recalled) {
    if (match.turns.every((turn) => recent.has(turn.content))) continue;
    const text = match.turns.map((turn) => `${turn.role}: ${turn.content}`).join("\n");
    if (text.length + 2 > room) continue;
    room -= text.length + 2;
    lines.push(text);
    used.push(match);
  }
  if (used.length === 0) return { turns: [...history], used };
  return { turns: [{ role: "system", content: [RECALLED_HEADER, ...lines].join("\n\n") }, ...history], used };
}
