import { createExecutionContext } from "cloudflare:test";
import { testClient } from "hono/testing";
import { expect, it } from "vitest";
import app from "../../src/index";
import type { ChatResponse } from "../../src/schemas/chat";
import { makeEnv } from "./support";

it("serves hono/client calls typed by AppType", async () => {
  const client = testClient(app, makeEnv(), createExecutionContext());

  const analyzed = await client.analyze.$post({ json: { text: "A short text to score, written by hand." } });
  expect(analyzed.status).toBe(200);
  if (analyzed.status === 200) {
    // Typed from the route's schema: these reads would not compile on an untyped body.
    const metrics = await analyzed.json();
    expect(metrics.source).toBe("local");
    expect(metrics.human_likeness_score).toBeGreaterThanOrEqual(0);
  }

  const health = await client.health.$get();
  // Public and admin views share the type: every view has each part's status (auth is off: details too).
  const { components } = await health.json();
  expect(components.providers.status).toBe("ok");
  expect(components.providers).toMatchObject({ configured: 1 });

  // /chat may answer JSON or an SSE stream, so its body is read as the documented ChatResponse.
  const chat = await client.chat.$post({ json: { message: "Hi", metrics: "off" } });
  expect(chat.status).toBe(200);
  expect(((await chat.json()) as ChatResponse).message).toBe("Hello from the fake model.");
});
