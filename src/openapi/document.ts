import * as z from "zod";
import { type MaybeLazy, resolve } from "../lib/lazy";
import { errorResponsesOf, type RouteContract } from "./contract";
import { STREAMED_SCHEMAS } from "./streamed";

type JsonSchema = Record<string, unknown>;
const COMPONENTS = "#/components/schemas/";

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
  serverUrl: string;
}

/**
 * Builds the OpenAPI 3.1 document from the route contracts. Schemas with a `.meta({ id })` become
 * components (`#/components/schemas/<id>`, in the order of their ids: schemas are built on first
 * use, so the order they were registered in depends on the requests served before); request bodies
 * are described as clients send them (defaults optional), responses as the server answers.
 */
export function buildOpenApiDocument(routes: readonly RouteContract[], info: DocumentInfo): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method] = operation(route);
  }
  for (const schema of STREAMED_SCHEMAS) resolve(schema);
  const components = z.toJSONSchema(z.globalRegistry, {
    uri: (id) => `${COMPONENTS}${id}`,
    unrepresentable: "any",
  });
  const schemas = Object.fromEntries(
    Object.entries(components.schemas)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, schema]) => {
        const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
        return [id, rest];
      }),
  );
  return {
    openapi: "3.1.0",
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: "A key from `API_KEYS` (admin routes: `ADMIN_API_KEYS`)",
        },
      },
    },
  };
}

function operation(route: RouteContract): JsonSchema {
  const parameters = [
    ...parametersOf(route.request?.params, "path"),
    ...parametersOf(route.request?.query, "query"),
    ...parametersOf(route.request?.headers, "header"),
  ];
  const responses = Object.fromEntries(
    Object.entries({ ...route.responses, ...errorResponsesOf(route) }).map(([status, response]) => {
      const content: Record<string, unknown> = {};
      if (response.schema) content["application/json"] = { schema: schemaOf(response.schema, "output") };
      for (const type of response.alsoAs ?? []) content[type] = { schema: { type: "string" } };
      return [
        status,
        { description: response.description, ...(Object.keys(content).length ? { content } : {}) },
      ];
    }),
  );
  return {
    tags: route.tags,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    operationId: `${route.method}${route.path.replace(/[{}]/g, "").replace(/\/(\w)/g, (_, c: string) => c.toUpperCase())}`,
    ...(route.auth ? { security: [{ apiKey: [] }] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(route.request?.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: schemaOf(route.request.body, "input") } },
          },
        }
      : {}),
    responses,
  };
}

function parametersOf(
  lazySchema: MaybeLazy<z.ZodObject> | undefined,
  where: "path" | "query" | "header",
): JsonSchema[] {
  if (!lazySchema) return [];
  const schema = resolve(lazySchema);
  return Object.entries(schema.shape).map(([name, field]) => {
    const fieldSchema = schemaOf(field as z.ZodType, "input");
    const { description, ...rest } = fieldSchema;
    return {
      name,
      in: where,
      required: where === "path" || !(field as z.ZodType).safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** A component reference for a named schema, else the schema inline with its named parts referenced. */
function schemaOf(lazySchema: MaybeLazy<z.ZodType>, io: "input" | "output"): JsonSchema {
  const schema = resolve(lazySchema);
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: `${COMPONENTS}${id}` };
  const {
    $schema: _schema,
    $defs: _defs,
    ...inline
  } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return JSON.parse(JSON.stringify(inline).replaceAll('"#/$defs/', `"${COMPONENTS}`)) as JsonSchema;
}
