import type { MiddlewareHandler, ValidationTargets } from "hono";
import { validator } from "hono/validator";
import type * as z from "zod";
import { ApiError } from "../lib/errors";
import { type MaybeLazy, resolve } from "../lib/lazy";
import { describeIssues } from "../middleware/error-handler";
import { presentKeysParser } from "./present-keys";

type Target = keyof Pick<ValidationTargets, "json" | "param" | "query" | "header">;

/**
 * Validates one part of the request with a zod schema; a failure is a 400 naming the fields (or
 * what `onIssues` makes of it). The handler reads the parsed value with `c.req.valid(target)`.
 * A `lazy` schema is built on the first request that needs it. Headers are read by the names the
 * schema declares (lower-case), not all of them.
 *
 * @example
 * app.post("/chat", validate("json", ChatRequestSchema), (c) => c.json(c.req.valid("json")));
 */
export function validate<T extends Target, S extends z.ZodType>(
  target: T,
  schema: MaybeLazy<S>,
  onIssues?: (error: z.ZodError) => ApiError | undefined,
): MiddlewareHandler {
  let parse: ReturnType<typeof presentKeysParser> | undefined;
  const check = (value: unknown): object => {
    parse ??= presentKeysParser(resolve(schema));
    const result = parse(value);
    if (result.success) return result.data as object;
    throw onIssues?.(result.error) ?? new ApiError(400, "invalid_request", describeIssues(result.error));
  };
  if (target !== "header") return validator(target, check) as MiddlewareHandler;
  let names: string[] | undefined;
  return async (c, next) => {
    if (!names) {
      const built = resolve(schema);
      names = "shape" in built ? Object.keys(built.shape as object) : [];
    }
    const headers: Record<string, string> = {};
    for (const name of names) {
      const value = c.req.header(name);
      if (value !== undefined) headers[name] = value;
    }
    c.req.addValidatedData(target, check(headers));
    await next();
  };
}
