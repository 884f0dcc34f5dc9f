import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ApiError } from "../lib/errors";
import type { AppEnv } from "../types";
import { handleError, notFoundOrWrongMethod } from "./error-handler";

// The envelope's 404 and 405 are covered in test/worker/http-contract.test.ts.
describe("a route family with its own error shape", () => {
  const app = new Hono<AppEnv>();
  app.use("/v1/*", async (c, next) => {
    c.set("renderError", (context, error) =>
      context.json({ error: { message: error.details, code: error.code } }, error.status),
    );
    await next();
  });
  app.get("/v1/refused", () => {
    throw new ApiError(400, "invalid_request", "n: only 1 is supported");
  });
  app.get("/refused", () => {
    throw new ApiError(400, "invalid_request", "n: only 1 is supported");
  });
  app.get("/broken", () => {
    throw new Error("secret internals");
  });
  app.notFound(notFoundOrWrongMethod(() => app.routes));
  app.onError(handleError);

  it("renders its errors, and its unknown paths, in its own shape", async () => {
    const refused = await app.request("/v1/refused");
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: { message: "n: only 1 is supported", code: "invalid_request" },
    });
    const missing = await app.request("/v1/missing");
    expect(await missing.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("leaves every other route in the envelope, and reveals nothing of an unexpected failure", async () => {
    expect(await (await app.request("/refused")).json()).toMatchObject({
      status: "error",
      error: "invalid_request",
    });
    const broken = await app.request("/broken");
    expect(broken.status).toBe(500);
    expect(await broken.text()).not.toContain("secret internals");
  });
});
