/**
 * `npm run example:client -- "your message"`: sends one chat to a running API, prints the reply as it
 * streams in, then the metrics as they arrive over the conversation's room.
 * Set NEXUS_URL (default http://127.0.0.1:8000, i.e. `npm run dev`) and NEXUS_API_KEY if the server needs one.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createNexusClient, type Metrics, NexusApiError } from "../src/client";

const baseUrl = process.env.NEXUS_URL ?? "http://127.0.0.1:8000";
const message = process.argv.slice(2).join(" ") || "In two sentences: why is the sky blue?";
const conversationId = `conv_example_${Date.now().toString(36)}`;
const METRICS_WAIT_MS = 30_000;

const nexus = createNexusClient({ baseUrl, apiKey: process.env.NEXUS_API_KEY });

let metricsReceived: (metrics: Metrics) => void = () => undefined;
const metricsArrived = new Promise<Metrics>((resolve) => (metricsReceived = resolve));
const watch = await nexus
  .watchConversation(conversationId, { onMetrics: (data) => metricsReceived(data.metrics as Metrics) })
  .catch((error: unknown) => {
    console.warn(`(no live metrics: ${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  });
await watch?.opened;

console.log(`> ${message}\n`);
try {
  for await (const event of nexus.chatStream({ message, conversationId, metrics: "async" })) {
    if (event.type === "delta") process.stdout.write(event.text);
    if (event.type === "done")
      console.log(`\n\n[${event.response.provider} · ${event.response.model} · ${event.response.id}]`);
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

if (watch) {
  const timeout = sleep(METRICS_WAIT_MS, undefined, { ref: false });
  const metrics = await Promise.race([metricsArrived, timeout]);
  if (metrics) {
    console.log(
      `human-likeness ${metrics.human_likeness_score} · ${metrics.is_ai_generated ? "AI-generated" : "human"} (scored by ${metrics.source})`,
    );
    for (const [name, value] of Object.entries(metrics)) {
      if (value && typeof value === "object") console.log(`  ${name}: ${JSON.stringify(value)}`);
    }
  } else console.log(`no metrics within ${METRICS_WAIT_MS / 1000} s`);
  watch.close();
}
