import { describe, expect, it } from "vitest";
import { call, makeEnv } from "../../test/worker/support";

const env = makeEnv({ CORS_ORIGINS: "https://app.example, https://admin.example/" });

describe("CORS allow-list", () => {
  it("answers a preflight from an allowed origin", async () => {
    const response = await call(
      "/chat",
      {
        method: "OPTIONS",
        headers: {
          origin: "https://app.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      },
      env,
    );
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("matches an origin listed with a trailing slash", async () => {
    const response = await call("/health", { headers: { origin: "https://admin.example" } }, env);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://admin.example");
  });

  it("exposes the request id and rate-limit headers to allowed pages", async () => {
    const response = await call("/health", { headers: { origin: "https://app.example" } }, env);
    const exposed = response.headers.get("access-control-expose-headers")?.toLowerCase() ?? "";
    for (const name of ["x-request-id", "retry-after", "ratelimit-remaining"])
      expect(exposed).toContain(name);
  });

  it.each(["https://evil.example", "https://app.example.evil.example", "null", "http://app.example"])(
    "gives %s no Access-Control-Allow-Origin",
    async (origin) => {
      const preflight = await call(
        "/chat",
        { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } },
        env,
      );
      expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
      const simple = await call("/health", { headers: { origin } }, env);
      expect(simple.headers.get("access-control-allow-origin")).toBeNull();
    },
  );

  it("allows no cross-origin page when CORS_ORIGINS is empty", async () => {
    const response = await call("/health", { headers: { origin: "https://app.example" } }, makeEnv());
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("security headers", () => {
  it.each([
    ["a success", "/health", makeEnv()],
    ["a 404", "/nope", makeEnv()],
    ["a 500 from bad configuration", "/health", makeEnv({ MESSAGES_TTL_SECONDS: "soon" })],
  ])("are on %s", async (_name, path, environment) => {
    const response = await call(path, {}, environment);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("strict-transport-security")).toContain("max-age=");
    expect(response.headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(response.headers.get("x-powered-by")).toBeNull();
  });

  it("marks answers to keyed requests as not cacheable", async () => {
    const response = await call("/health", { headers: { authorization: "Bearer whatever-key-0000" } });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("never shows a stack trace on an internal failure", async () => {
    const response = await call("/health", {}, makeEnv({ MESSAGES_TTL_SECONDS: "soon" }));
    const text = await response.text();
    expect(text).not.toMatch(/\bat .+:\d+:\d+/);
    expect(text).not.toMatch(/\.ts\b|node_modules/);
  });
});
