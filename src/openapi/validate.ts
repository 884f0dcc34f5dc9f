import type { ValidationTargets } from "hono";
import { validator } from "hono/validator";
import type * as z from "zod";
import { ApiError } from "../lib/errors";
import { type MaybeLazy, resolve } from "../lib/lazy";
import { describeIssues } from "../middleware/error-handler";

type Target = keyof Pick<ValidationTargets, "json" | "param" | "query" | "header">;

/**
 * Validates one part of the request with a zod schema; a failure is a 400 naming the fields (or
 * what `onIssues` makes of it). The handler reads the parsed value with `c.req.valid(target)`.
 * A `lazy` schema is built on the first request that needs it.
 *
 * @example
 * app.post("/chat", validate("json", ChatRequestSchema), (c) => c.json(c.req.valid("json")));
 */
export function validate<T extends Target, S extends z.ZodType>(
  target: T,
  schema: MaybeLazy<S>,
  onIssues?: (error: z.ZodError) => ApiError | undefined,
) {
  let built: S | undefined;
  return validator(target, (value): z.output<S> => {
    built ??= resolve(schema);
    const result = built.safeParse(value);
    if (result.success) return result.data;
    throw onIssues?.(result.error) ?? new ApiError(400, "invalid_request", describeIssues(result.error));
  });
}
