/**
 * `npm run example:client -- "your message"`: sends one chat to a running API, prints the reply as it
 * streams in, then its final metrics as they arrive over the conversation's room (the partial scores
 * the room sends while the reply streams are counted, not printed as the result).
 * Set NEXUS_URL (default http://127.0.0.1:8000, i.e. `npm run dev`) and NEXUS_API_KEY if the server needs one.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type ChatResponse, createNexusClient, type Metrics, NexusApiError } from "../src/client";

const baseUrl = process.env.NEXUS_URL ?? "http://127.0.0.1:8000";
const message = process.argv.slice(2).join(" ") || "In two sentences: why is the sky blue?";
const conversationId = `conv_example_${Date.now().toString(36)}`;
const METRICS_WAIT_MS = 30_000;

const nexus = createNexusClient({ baseUrl, apiKey: process.env.NEXUS_API_KEY });

/** Final metrics by message id, as the room delivers them. */
const finals = new Map<string, Metrics>();
let finalArrived: () => void = () => undefined;
let partials = 0;
const watch = await nexus
  .watchConversation(conversationId, {
    onMetrics: (data) => {
      if (data.partial) partials++;
      else {
        finals.set(data.messageId, data.metrics as Metrics);
        finalArrived();
      }
    },
  })
  .catch((error: unknown) => {
    console.warn(`(no live metrics: ${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  });
await watch?.opened;

console.log(`> ${message}\n`);
let response: ChatResponse | undefined;
try {
  // With a room the answer comes first and the metrics through the room; without one, in the answer.
  for await (const event of nexus.chatStream({
    message,
    conversationId,
    metrics: watch ? "async" : "sync",
  })) {
    if (event.type === "delta") process.stdout.write(event.text);
    if (event.type === "done") response = event.response;
  }
} catch (error) {
  console.error(
    error instanceof NexusApiError
      ? `API error ${error.status ?? "in stream"}: ${error.code} — ${error.details}`
      : error,
  );
  watch?.close();
  process.exit(1);
}

if (response) {
  console.log(`\n\n[${response.provider} · ${response.model} · ${response.id}]`);
  const metrics = response.metrics ?? (await finalMetricsOf(response.id));
  if (metrics) {
    const via = watch ? ` · from the room, after ${partials} partial score${partials === 1 ? "" : "s"}` : "";
    console.log(
      `human-likeness ${metrics.human_likeness_score} · ${verdictOf(metrics)} (scored by ${metrics.source}${via})`,
    );
    for (const [name, value] of Object.entries(metrics)) {
      if (value && typeof value === "object") console.log(`  ${name}: ${JSON.stringify(value)}`);
    }
  } else console.log(`no metrics within ${METRICS_WAIT_MS / 1000} s`);
}
watch?.close();

/** Waits for the room's final metrics of `messageId` (at most METRICS_WAIT_MS). */
async function finalMetricsOf(messageId: string): Promise<Metrics | undefined> {
  const arrived = new Promise<void>((resolve) => {
    finalArrived = () => {
      if (finals.has(messageId)) resolve();
    };
    finalArrived();
  });
  await Promise.race([arrived, sleep(METRICS_WAIT_MS, undefined, { ref: false })]);
  return finals.get(messageId);
}

function verdictOf(metrics: Metrics): string {
  if (metrics.low_confidence)
    return `not enough evidence (${metrics.low_confidence_reason ?? "low confidence"})`;
  return metrics.is_ai_generated ? "AI-generated" : "human";
}
