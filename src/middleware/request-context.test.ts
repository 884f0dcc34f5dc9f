import { afterEach, describe, expect, it, vi } from "vitest";
import { call, makeEnv } from "../../test/worker/support";

afterEach(() => vi.restoreAllMocks());

function requestLines(spy: { mock: { calls: unknown[][] } }): Record<string, unknown>[] {
  return spy.mock.calls
    .map(([line]) => JSON.parse(String(line)) as Record<string, unknown>)
    .filter((line) => line.msg === "request");
}

describe("the request log line", () => {
  it("is written once per request at info, with the route, status and request id, never a key", async () => {
    const spy = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const env = makeEnv({ LOG_LEVEL: "info" });
    const response = await call("/messages/unknown-id", {}, env);
    expect(response.status).toBe(404);
    const lines = requestLines(spy);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      method: "GET",
      route: "/messages/:id",
      status: 404,
      requestId: response.headers.get("x-request-id"),
    });
    expect(JSON.stringify(lines)).not.toContain(env.GROQ_API_KEY);
  });

  it("is not written above info", async () => {
    const spy = vi.spyOn(console, "log").mockImplementation(() => undefined);
    await call("/health", {}, makeEnv({ LOG_LEVEL: "warn" }));
    expect(requestLines(spy)).toEqual([]);
  });
});
