import * as z from "zod";

/** A string variable; blank means unset. */
export const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

/** An http(s) URL, without trailing slashes. */
export const url = z
  .string()
  .trim()
  .transform((value) => value.replace(/\/+$/, ""))
  .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }));

/** Blank counts as unset: a preprocess step for optional variables. */
export const blankIsUnset = (value: unknown) => (value === "" ? undefined : value);

/** An http(s) URL, or unset (blank counts as unset). */
export const optionalUrl = z.preprocess(blankIsUnset, url.optional());

/** A number in `[min, max]` (whole when `whole`), or unset (blank counts as unset): no default. */
export const optionalNumber = (min: number, max: number, whole: boolean) =>
  z.preprocess(
    (value) => (value === undefined || value === "" ? undefined : Number(value)),
    (whole ? z.number({ error: "must be a number" }).int() : z.number({ error: "must be a number" }))
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .optional(),
  );

/** A model id, with the provider's default. */
export const modelName = (fallback: string) => z.string().trim().min(1).default(fallback);

/** A whole number in `[min, max]`; unset or blank gives `fallback`. */
export const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(
    (value) => (value === undefined || value === "" ? fallback : Number(value)),
    z
      .number({ error: "must be a number" })
      .int({ error: "must be a whole number" })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` }),
  );

/** A number in `[min, max]`; unset or blank gives `fallback`. */
export const decimal = (fallback: number, min: number, max: number) =>
  z.preprocess(
    (value) => (value === undefined || value === "" ? fallback : Number(value)),
    z.number({ error: "must be a number" }).min(min).max(max),
  );

/** true/false, 1/0 or yes/no; unset or blank gives `fallback`. */
export const flag = (fallback: boolean) =>
  z.preprocess(
    (value) => (value === undefined || value === "" ? String(fallback) : String(value).toLowerCase()),
    z
      .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" })
      .transform((value) => value === "true" || value === "1" || value === "yes"),
  );

/** A comma-separated list, trimmed, without empty items. */
export const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );
