import { Hono } from "hono";

interface Bindings {
  UPSTREAM_BASE_URL: string;
  UPSTREAM_API_KEY?: string;
}

interface ChatBody {
  message: string;
  stream?: boolean;
  model?: string;
}

/**
 * The baseline: a bare Hono proxy that maps `POST /chat {message, stream}` to one OpenAI-style
 * upstream call and passes the upstream answer (JSON or SSE) straight through. No validation,
 * no scoring, no cache: the least any gateway must do.
 */
const app = new Hono<{ Bindings: Bindings }>();

app.get("/health", (c) => c.json({ status: "ok" }));

app.post("/chat", async (c) => {
  const body = await c.req.json<ChatBody>();
  const upstream = await fetch(`${c.env.UPSTREAM_BASE_URL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${c.env.UPSTREAM_API_KEY ?? ""}` },
    body: JSON.stringify({
      model: body.model ?? "openai/gpt-oss-20b",
      messages: [{ role: "user", content: body.message }],
      ...(body.stream ? { stream: true } : {}),
    }),
  });
  // A reference row for streaming: the same proxy, but the stream goes through JS chunk by chunk
  // (read from the upstream, written to the answer), as any gateway that looks at the tokens must.
  if (body.model?.startsWith(RELAYED_IN_JS) && upstream.body) return relayInJs(upstream.body);
  return new Response(upstream.body, {
    status: upstream.status,
    headers: { "content-type": upstream.headers.get("content-type") ?? "application/json" },
  });
});

/** A model name starting with this asks for the JS relay (the fake upstream accepts any model). */
const RELAYED_IN_JS = "relay-in-js";

function relayInJs(body: ReadableStream<Uint8Array>): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const reader = body.getReader();
  const relay = async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      void writer.write(value);
    }
    await writer.close();
  };
  void relay();
  return new Response(readable, { headers: { "content-type": "text/event-stream" } });
}

export default app;
