/**
 * What `npm run dev` prints once the API answers: each provider and whether it answered (from
 * `GET /health`), the demo banner while canned replies stand in, and the next step when none answered.
 */

interface HealthAnswer {
  components?: {
    providers?: { each?: Array<{ name: string; status: string; detail?: string }> };
  };
  switchedOff?: Array<{ part: string; reason: string }>;
  notice?: string;
  /** Set instead of the rest when the configuration cannot be read. */
  details?: string;
}

/** How to make each provider answer, for the console. */
const NEXT_STEP: Record<string, string> = {
  groq: "check GROQ_API_KEY in .dev.vars (keys at https://console.groq.com/keys) and that this machine reaches api.groq.com",
  ollama: "start Ollama at OLLAMA_URL (`ollama serve`, then `ollama pull` the OLLAMA_MODEL)",
  openai: "start the OpenAI-compatible server at OPENAI_BASE_URL, or fix the URL",
};

/** The report's lines for one `/health` answer. */
export function describeProviders(health: HealthAnswer): string[] {
  if (!health.components) return [`The API cannot start its providers: ${health.details ?? "unknown error"}`];
  const each = health.components.providers?.each ?? [];
  const lines = ["Providers:"];
  for (const provider of each) {
    const answered = provider.status === "reachable";
    const label =
      health.notice && answered ? "answered (canned demo replies)" : answered ? "answered" : "did not answer";
    lines.push(
      `  ${answered ? "✓" : "✗"} ${provider.name.padEnd(7)} ${label}${provider.detail ? `: ${provider.detail}` : ""}`,
    );
  }
  for (const off of health.switchedOff ?? [])
    lines.push(`  ✗ ${off.part.padEnd(7)} switched off: ${off.reason}`);
  if (each.length === 0) lines.push("  (none configured)");
  if (health.notice) lines.push("", ...banner(health.notice));
  else if (!each.some((provider) => provider.status === "reachable")) {
    lines.push("", "No provider answered, so /chat answers 503 until one does. Next step:");
    for (const provider of each)
      lines.push(`  - ${provider.name}: ${NEXT_STEP[provider.name] ?? "check its settings in .dev.vars"}`);
    lines.push("  - or comment out every provider in .dev.vars to chat with the canned demo provider.");
  }
  return lines;
}

function banner(notice: string): string[] {
  const text = `${notice} Saving .dev.vars restarts the worker.`;
  const words = text.split(" ");
  const rows: string[] = [];
  let row = "";
  for (const word of words) {
    if (row && row.length + word.length + 1 > 76) {
      rows.push(row);
      row = word;
    } else row = row ? `${row} ${word}` : word;
  }
  rows.push(row);
  const rule = "═".repeat(80);
  return [rule, ...rows.map((line) => `  ${line}`), rule];
}

/** Asks the API's `/health` and prints the report (or why it could not). */
export async function reportProviders(apiUrl: string): Promise<void> {
  try {
    const response = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(30_000) });
    console.log(describeProviders((await response.json()) as HealthAnswer).join("\n"));
  } catch (error) {
    console.log(`Could not ask ${apiUrl}/health about the providers: ${(error as Error).message}`);
  }
}
