/**
 * The demo page at `/`: sends the chat box to `POST /chat` as a stream, shows the reply as it
 * arrives, and fills the metrics panel from the conversation's room (partysocket, room token). While
 * the reply streams the gauge follows the partial scores (SSE `metrics` events and room partials);
 * the final score is marked as such and no later partial of the same message moves it back. The
 * final score's per-sentence probabilities tint the reply's sentences (local analyzer only).
 * Built into public/demo/demo.js by `npm run build:demo`.
 */
import {
  type ChatResponse,
  type ConversationWatch,
  createNexusClient,
  type Metrics,
  NexusApiError,
} from "../src/client";
import { mountUsageView } from "./usage-view";

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = element<HTMLFormElement>("chat-form");
const input = element<HTMLTextAreaElement>("message");
const apiKeyInput = element<HTMLInputElement>("api-key");
const sendButton = element<HTMLButtonElement>("send");
const transcript = element<HTMLOListElement>("transcript");
const panel = element<HTMLElement>("metrics");
const roomStatus = element<HTMLElement>("room-status");

let conversationId = `conv_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
const storedKey = sessionStorage.getItem("nexus-api-key") ?? "";
apiKeyInput.value = storedKey;
let client = createNexusClient({ baseUrl: location.origin, apiKey: storedKey || undefined });
let watch: ConversationWatch | undefined;

apiKeyInput.addEventListener("change", () => {
  sessionStorage.setItem("nexus-api-key", apiKeyInput.value);
  client = createNexusClient({ baseUrl: location.origin, apiKey: apiKeyInput.value || undefined });
  watch?.close();
  void usageView.refresh();
  void connectRoom();
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const message = input.value.trim();
  if (message) void send(message);
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) form.requestSubmit();
});

async function connectRoom(): Promise<void> {
  setRoomStatus("connecting", "connecting to the room…");
  try {
    // With auth on, conversation ids are issued by the server to the key that asks for one.
    if (apiKeyInput.value) conversationId = await client.newConversation();
    watch = await client.watchConversation(conversationId, {
      onOpen: () => setRoomStatus("live", `live · room ${conversationId}`),
      onClose: () => setRoomStatus("connecting", "reconnecting to the room…"),
      onMetrics: (data) =>
        showMetrics(data.metrics as Metrics, data.messageId, "room", data.partial ? data.words : undefined),
      onStatus: (data) => {
        if ("state" in data) panel.dataset.progress = data.state;
      },
    });
  } catch (error) {
    watch = undefined;
    setRoomStatus("off", `live metrics off: ${describe(error)}`);
  }
}

async function send(message: string): Promise<void> {
  sendButton.disabled = true;
  input.value = "";
  addTurn("user", message);
  const reply = addTurn("assistant", "");
  reply.dataset.state = "streaming";
  const text = reply.appendChild(document.createElement("span"));
  try {
    for await (const event of client.chatStream({ message, conversationId })) {
      if (event.type === "delta") text.textContent += event.text;
      if (event.type === "metrics") showMetrics(event.metrics, event.messageId, "response", event.words);
      if (event.type === "done") finishReply(reply, event.response);
    }
  } catch (error) {
    reply.dataset.state = "error";
    text.textContent = describe(error);
  } finally {
    sendButton.disabled = false;
    input.focus();
  }
}

function finishReply(reply: HTMLElement, response: ChatResponse): void {
  reply.dataset.state = "done";
  reply.dataset.messageId = response.id;
  const meta = reply.appendChild(document.createElement("small"));
  meta.className = "meta";
  meta.textContent = `${response.provider} · ${response.model} · ${Math.round(response.timings.totalMs)} ms`;
  void usageView.refresh();
  const roomIsLive = roomStatus.dataset.state === "live";
  if (!roomIsLive && response.metrics) showMetrics(response.metrics, response.id, "response");
  const shown = finalMetrics.get(response.id);
  if (shown) highlightSentences(reply, shown);
}

/**
 * Tints each sentence of a finished reply by its AI probability (`metrics.sentences`: offsets into
 * the reply's text), as marks with the probability in `data-ai-probability` and a tooltip.
 */
function highlightSentences(reply: HTMLElement, metrics: Metrics): void {
  const text = reply.querySelector("span");
  const sentences = metrics.sentences;
  if (!text || !sentences || text.querySelector("mark")) return;
  const content = text.textContent ?? "";
  if (sentences.some(({ end }) => end > content.length)) return;
  const parts: (string | HTMLElement)[] = [];
  let at = 0;
  for (const { start, end, ai_probability } of sentences) {
    if (start > at) parts.push(content.slice(at, start));
    const mark = document.createElement("mark");
    mark.className = "sentence";
    mark.dataset.aiProbability = ai_probability.toFixed(2);
    mark.style.setProperty("--ai", String(ai_probability));
    mark.title = `AI probability ${ai_probability.toFixed(2)}`;
    mark.textContent = content.slice(start, end);
    parts.push(mark);
    at = end;
  }
  if (at < content.length) parts.push(content.slice(at));
  text.replaceChildren(...parts);
}

function addTurn(role: "user" | "assistant", text: string): HTMLElement {
  const turn = document.createElement("li");
  turn.className = `turn ${role}`;
  turn.textContent = text;
  transcript.append(turn);
  turn.scrollIntoView({ block: "end" });
  return turn;
}

/** Messages whose final score is shown: a partial arriving late must not replace it. */
const finalShown = new Set<string>();
/** The final metrics of each message, to tint its sentences once its reply is complete. */
const finalMetrics = new Map<string, Metrics>();

/** Shows a score on the gauge: a partial one (`words` so far) while the reply streams, then the final. */
function showMetrics(metrics: Metrics, messageId: string, source: "room" | "response", words?: number): void {
  const partial = words !== undefined;
  if (partial && finalShown.has(messageId)) return;
  if (!partial) {
    finalShown.add(messageId);
    finalMetrics.set(messageId, metrics);
    const reply = transcript.querySelector<HTMLElement>(
      `.turn.assistant[data-message-id="${CSS.escape(messageId)}"][data-state="done"]`,
    );
    if (reply) highlightSentences(reply, metrics);
  }
  const score = Math.round(metrics.human_likeness_score);
  panel.dataset.state = "ready";
  panel.dataset.phase = partial ? "partial" : "final";
  panel.dataset.source = source;
  panel.dataset.messageId = messageId;
  const gauge = element("gauge");
  gauge.style.setProperty("--score", String(score));
  gauge.setAttribute("aria-valuenow", String(score));
  element("score").textContent = String(score);
  const verdict = element("verdict");
  // A low-confidence verdict is no verdict: never show a person a red label on thin evidence.
  verdict.dataset.ai = metrics.low_confidence ? "unknown" : String(metrics.is_ai_generated);
  verdict.textContent = metrics.low_confidence
    ? "Not enough evidence"
    : metrics.is_ai_generated
      ? "Likely AI-generated"
      : metrics.mixed
        ? "Part human, part AI"
        : "Reads as human";
  element("reasons").replaceChildren(
    ...(metrics.reasons ?? []).map((reason) =>
      Object.assign(document.createElement("li"), { textContent: reason.text, className: reason.leans }),
    ),
  );
  element("metrics-meta").textContent =
    (partial ? `so far: ${words} words · ` : "final · ") +
    `scored by ${metrics.source} · threshold ${metrics.threshold}` +
    (metrics.ai_probability === undefined ? "" : ` · AI probability ${metrics.ai_probability.toFixed(2)}`) +
    (metrics.low_confidence ? ` · low confidence (${metrics.low_confidence_reason ?? "?"})` : "");
  element("categories").replaceChildren(...categoriesOf(metrics));
}

function categoriesOf(metrics: Metrics): HTMLElement[] {
  return Object.entries(metrics)
    .filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))
    .map(([name, values]) => {
      const details = document.createElement("details");
      details.dataset.category = name;
      const summary = details.appendChild(document.createElement("summary"));
      summary.textContent = name.replaceAll("_", " ");
      const list = details.appendChild(document.createElement("dl"));
      for (const [key, value] of Object.entries(values)) {
        list.append(Object.assign(document.createElement("dt"), { textContent: key.replaceAll("_", " ") }));
        list.append(Object.assign(document.createElement("dd"), { textContent: formatValue(value) }));
      }
      return details;
    });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function formatValue(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (Array.isArray(value))
    return value
      .map((item) => (isRecord(item) ? Object.values(item).map(formatValue).join(" ") : formatValue(item)))
      .join(", ");
  if (isRecord(value))
    return Object.entries(value)
      .map(([key, item]) => `${key} ${formatValue(item)}`)
      .join(", ");
  return String(value);
}

function describe(error: unknown): string {
  if (error instanceof NexusApiError) return `${error.code}: ${error.details}`;
  return error instanceof Error ? error.message : String(error);
}

function setRoomStatus(state: "connecting" | "live" | "off", text: string): void {
  roomStatus.dataset.state = state;
  roomStatus.textContent = text;
}

const usageView = mountUsageView(element("usage"), () => client);
void usageView.refresh();
void connectRoom();
