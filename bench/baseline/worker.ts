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
  return new Response(upstream.body, {
    status: upstream.status,
    headers: { "content-type": upstream.headers.get("content-type") ?? "application/json" },
  });
});

export default app;
