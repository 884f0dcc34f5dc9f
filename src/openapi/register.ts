import type { Context, Hono, MiddlewareHandler } from "hono";
import type { HandlerResponse, Schema, ToSchema, TypedResponse } from "hono/types";
import type * as z from "zod";
import type { ApiError } from "../lib/errors";
import type { Resolved } from "../lib/lazy";
import { requireKey } from "../middleware/auth";
import { budgetCheck } from "../middleware/budget";
import { jsonBody } from "../middleware/json-body";
import { rateLimit } from "../middleware/rate-limit";
import type { AppEnv } from "../types";
import type { RouteContract } from "./contract";
import { validate } from "./validate";

const DEFAULT_BODY_LIMIT = 64 * 1024;

/** `/messages/{id}` (OpenAPI) as Hono writes it: `/messages/:id`. */
export type HonoPath<P extends string> = P extends `${infer Head}{${infer Name}}${infer Tail}`
  ? `${Head}:${Name}${HonoPath<Tail>}`
  : P;

type Request<C extends RouteContract> = NonNullable<C["request"]>;
/** The schema a contract gives for one part of the request (built or `lazy`), or `never`. */
type PartSchema<C extends RouteContract, Part extends string> =
  Request<C> extends { [K in Part]: infer S } ? Resolved<S> : never;
type BodyInput<C extends RouteContract> =
  PartSchema<C, "body"> extends infer B extends z.ZodType
    ? [B] extends [never]
      ? object
      : { in: { json: z.input<B> }; out: { json: z.output<B> } }
    : object;
type ParamInput<C extends RouteContract> =
  PartSchema<C, "params"> extends infer S extends z.ZodObject
    ? [S] extends [never]
      ? object
      : { in: { param: { [K in keyof z.input<S>]: string } }; out: { param: z.output<S> } }
    : object;
type QueryInput<C extends RouteContract> =
  PartSchema<C, "query"> extends infer S extends z.ZodObject
    ? [S] extends [never]
      ? object
      : { in: { query: { [K in keyof z.input<S>]?: string } }; out: { query: z.output<S> } }
    : object;

type HeaderInput<C extends RouteContract> =
  PartSchema<C, "headers"> extends infer S extends z.ZodObject
    ? [S] extends [never]
      ? object
      : { in: { header: { [K in keyof z.input<S>]?: string } }; out: { header: z.output<S> } }
    : object;

/** What a contract's handler reads with `c.req.valid(…)`, typed from the contract's schemas. */
export type ContractInput<C extends RouteContract> = BodyInput<C> &
  ParamInput<C> &
  QueryInput<C> &
  HeaderInput<C>;

/** The context a contract's handler gets. */
export type ContractContext<C extends RouteContract> = Context<AppEnv, HonoPath<C["path"]>, ContractInput<C>>;

// Hono's own (unexported) reading of a handler's return type, for the typed client.
type Answer<R> =
  R extends Promise<infer T>
    ? T extends TypedResponse
      ? T
      : TypedResponse
    : R extends TypedResponse
      ? R
      : TypedResponse;

export interface RegisterOptions {
  /** Turns a validation failure into a more precise error than the default 400 (e.g. a 413). */
  onInvalid?: (error: z.ZodError) => ApiError | undefined;
}

const documented = new WeakMap<object, RouteContract>();

/**
 * Serves a route from its contract: converts the path to Hono's, applies the contract's auth level
 * and rate budget to the path (so they hold before a 404/405 too), guards and validates the JSON
 * body, path parameters, query and headers with the contract's schemas, then runs `handler`. The result keeps
 * `hono/client` typing, and `/openapi.json` documents exactly the routes registered this way.
 *
 * @example
 * export const analyzeRoutes = register(new Hono<AppEnv>(), analyzeContract, async (c) =>
 *   c.json(await score(c.req.valid("json").text), 200));
 */
export function register<
  C extends RouteContract,
  R extends HandlerResponse<unknown>,
  S extends Schema,
  BasePath extends string,
>(
  app: Hono<AppEnv, S, BasePath>,
  contract: C,
  handler: (c: ContractContext<C>) => R,
  options: RegisterOptions = {},
): Hono<AppEnv, S & ToSchema<C["method"], HonoPath<C["path"]>, ContractInput<C>, Answer<R>>, BasePath> {
  const path = toHonoPath(contract.path);
  const guards: MiddlewareHandler<AppEnv>[] = [];
  if (contract.auth) guards.push(requireKey(contract.auth));
  if (contract.rateLimit) guards.push(rateLimit(contract.rateLimit));
  if (guards.length > 0) app.use(path, ...guards);

  const { body, params, query, headers } = contract.request ?? {};
  const steps: MiddlewareHandler<AppEnv>[] = [];
  if (body) {
    steps.push(jsonBody({ maxBytes: contract.bodyLimit ?? DEFAULT_BODY_LIMIT }));
    steps.push(validate("json", body, options.onInvalid));
  }
  if (params) steps.push(validate("param", params, options.onInvalid));
  if (query) steps.push(validate("query", query, options.onInvalid));
  if (headers) steps.push(validate("header", headers, options.onInvalid));
  if (contract.spends) steps.push(budgetCheck(contract.spends));
  const run: MiddlewareHandler<AppEnv> = (c) => handler(c as ContractContext<C>) as Promise<Response>;
  documented.set(run, contract);
  const on = app.on.bind(app) as (
    method: string,
    path: string,
    ...handlers: MiddlewareHandler<AppEnv>[]
  ) => unknown;
  on(contract.method.toUpperCase(), path, ...steps, run);
  return app as never;
}

/** The contracts of the routes `app` serves, in the order they were registered. */
export function contractsOf(app: Hono<AppEnv, Schema, string>): RouteContract[] {
  return app.routes.flatMap((route) => {
    const contract = documented.get(route.handler);
    return contract ? [contract] : [];
  });
}

function toHonoPath(path: string): string {
  return path.replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, ":$1");
}
