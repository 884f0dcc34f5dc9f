import type * as z from "zod";

type Parse = (value: unknown) => z.ZodSafeParseResult<unknown>;

/** Key sets remembered per schema; a request with yet another set is parsed by the whole schema. */
const MAX_KEY_SETS = 64;

/**
 * `schema.safeParse`, quicker for a plain object schema with many optional keys: Workers forbid
 * `new Function`, so zod runs without its compiled object parser and spends a run of each key's
 * schema on every key a request leaves out (OpenAI's chat request has 22, most of them absent).
 * The object is parsed with the schema of the keys it has, plus those that must be there or have a
 * default; an absent optional key adds nothing to the output or the issues, so the result is the
 * same as the whole schema's, issues in the same order. Those schemas are made once per key set.
 *
 * @example
 * const parse = presentKeysParser(OpenAIChatRequestSchema);
 * const result = parse(await c.req.json());
 */
export function presentKeysParser(schema: z.ZodType): Parse {
  const whole: Parse = (value) => schema.safeParse(value);
  const object = schema as unknown as z.ZodObject;
  const def = object._zod.def as { type: string; checks?: unknown[]; catchall?: unknown };
  if (def.type !== "object" || (def.checks?.length ?? 0) > 0 || def.catchall !== undefined) return whole;
  const keys = Object.keys(object.shape);
  const omittable = keys.map((key) => {
    const field = (object.shape[key] as z.ZodType)._zod;
    return field.optin === "optional" && field.optout === "optional";
  });
  const byKeySet = new Map<string, Parse>();
  return (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return whole(value);
    let signature = "";
    for (let index = 0; index < keys.length; index++)
      signature += !omittable[index] || (keys[index] as string) in value ? "1" : "0";
    let parse = byKeySet.get(signature);
    if (!parse) {
      if (byKeySet.size >= MAX_KEY_SETS) return whole(value);
      const mask = Object.fromEntries(
        keys.flatMap((key, index) => (signature[index] === "1" ? [[key, true]] : [])),
      );
      const picked = object.pick(mask as Record<string, true>);
      parse = (input) => picked.safeParse(input);
      byKeySet.set(signature, parse);
    }
    return parse(value);
  };
}
