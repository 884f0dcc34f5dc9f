import { describe, expect, it } from "vitest";
import { call } from "../support";
import { awayFromMinuteEdge, bearer, KEYS, securedEnv } from "./keys";

/** Every budget at one request a minute: a route's second call must be refused, whatever the first got. */
const ONE_A_MINUTE = {
  RATE_LIMIT_CHAT_PER_MINUTE: "1",
  RATE_LIMIT_ANALYZE_PER_MINUTE: "1",
  RATE_LIMIT_STATUS_PER_MINUTE: "1",
  RATE_LIMIT_READ_PER_MINUTE: "1",
  RATE_LIMIT_WRITE_PER_MINUTE: "1",
  RATE_LIMIT_SEARCH_PER_MINUTE: "1",
};

interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

const concrete = (path: string) =>
  path.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => (name === "model" ? "groq%2Fok" : `conv-${name}-1`));

describe("rate budgets", () => {
  it("cover every route in the API's contract: each documents a 429 and answers one past its budget", async () => {
    const document = (await (await call("/openapi.json")).json()) as OpenApi;
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ method, path, operation })),
    );
    expect(operations.length).toBeGreaterThan(10);
    const unbudgeted: string[] = [];
    for (const { method, path, operation } of operations) {
      const route = `${method.toUpperCase()} ${path}`;
      expect(Object.keys(operation.responses), route).toContain("429");
      // A fresh env each time: budgets are per caller, and several routes share one.
      const env = securedEnv(ONE_A_MINUTE);
      const init = {
        method: method.toUpperCase(),
        headers: bearer(KEYS.admin),
        ...(method === "post" ? { json: {} } : {}),
      };
      await awayFromMinuteEdge();
      await call(concrete(path), init, env);
      const second = await call(concrete(path), init, env);
      if (second.status !== 429) unbudgeted.push(`${route} answered ${second.status}`);
      else expect(second.headers.get("retry-after"), route).toBeTruthy();
    }
    expect(unbudgeted).toEqual([]);
  }, 60_000);

  it("cover the documentation routes too", async () => {
    for (const path of ["/openapi.json", "/docs"]) {
      const env = securedEnv(ONE_A_MINUTE);
      await awayFromMinuteEdge();
      expect((await call(path, {}, env)).status, path).toBe(200);
      expect((await call(path, {}, env)).status, path).toBe(429);
    }
  });
});
