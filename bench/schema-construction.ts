/**
 * Start-up question of issue 26: how much of a cold isolate's time goes into constructing zod
 * schemas, and what `zod/mini` would save. Builds the same schemas — the shape of our metrics
 * object (nine categories of optional numbers, bounded scores, an enum, `.meta()` descriptions) and
 * a chat request — with zod's classic API and with `zod/mini`, fresh each time, alternating, and
 * then parses one metrics object with each (the hot path). In process, seconds. zod runs jitless,
 * as in workerd, where code generation from strings is not allowed (`--jit` lets Node compile
 * object parsers, as zod does where it can).
 *
 *   node bench/schema-construction.ts [--times 300] [--jit]
 */
import { parseArgs } from "node:util";
import * as z from "zod";
import * as zm from "zod/mini";
import { median } from "./lib/stats.ts";
import { fixed, printTable, ratio } from "./lib/table.ts";

const { values } = parseArgs({
  options: { times: { type: "string", default: "300" }, jit: { type: "boolean", default: false } },
});
z.config({ jitless: !values.jit });
const times = Math.min(Math.max(10, Number(values.times)), 5_000);
const CATEGORIES = 9;
const FIELDS = 4;

function classic() {
  const unit = z.number().min(0).max(1);
  const categories: Record<string, z.ZodType> = {};
  for (let category = 0; category < CATEGORIES; category++) {
    const fields: Record<string, z.ZodType> = {};
    for (let field = 0; field < FIELDS; field++) fields[`f${field}`] = z.number();
    categories[`c${category}`] = z.object(fields).partial().optional();
  }
  const metrics = z
    .object({
      ...categories,
      human_likeness_score: unit.meta({ description: "0 = machine-like, 1 = human-like" }),
      is_ai_generated: z.boolean(),
      source: z.enum(["neo", "local"]),
      fallback_reason: z.string().optional(),
    })
    .meta({ id: "Metrics" });
  const request = z.object({
    message: z.string().min(1).max(32_000),
    conversationId: z
      .string()
      .regex(/^[\w-]{1,64}$/)
      .optional(),
    metrics: z.enum(["sync", "async", "off"]).default("sync"),
    stream: z.boolean().optional(),
    temperature: z.number().min(0).max(2).optional(),
  });
  return { metrics, request };
}

function mini() {
  const unit = zm.number().check(zm.minimum(0), zm.maximum(1));
  const categories: Record<string, zm.ZodMiniType> = {};
  for (let category = 0; category < CATEGORIES; category++) {
    const fields: Record<string, zm.ZodMiniType> = {};
    for (let field = 0; field < FIELDS; field++) fields[`f${field}`] = zm.number();
    categories[`c${category}`] = zm.optional(zm.partial(zm.object(fields)));
  }
  const metrics = zm.object({
    ...categories,
    human_likeness_score: unit.register(zm.globalRegistry, {
      description: "0 = machine-like, 1 = human-like",
    }),
    is_ai_generated: zm.boolean(),
    source: zm.enum(["neo", "local"]),
    fallback_reason: zm.optional(zm.string()),
  });
  const request = zm.object({
    message: zm.string().check(zm.minLength(1), zm.maxLength(32_000)),
    conversationId: zm.optional(zm.string().check(zm.regex(/^[\w-]{1,64}$/))),
    metrics: zm._default(zm.enum(["sync", "async", "off"]), "sync"),
    stream: zm.optional(zm.boolean()),
    temperature: zm.optional(zm.number().check(zm.minimum(0), zm.maximum(2))),
  });
  return { metrics, request };
}

const sample: Record<string, unknown> = { human_likeness_score: 0.4, is_ai_generated: true, source: "local" };
for (let category = 0; category < CATEGORIES; category++)
  sample[`c${category}`] = Object.fromEntries(
    [...Array(FIELDS).keys()].map((field) => [`f${field}`, field / 10]),
  );

const build = { classic: [] as number[], mini: [] as number[] };
const parse = { classic: [] as number[], mini: [] as number[] };
const PARSES = 200;
for (let round = 0; round < times; round++) {
  const order = [
    ["classic", classic],
    ["mini", mini],
  ] as const;
  // Each goes first every other round: the first build of a round runs on code the other one warmed.
  for (const [name, make] of round % 2 ? [...order].reverse() : order) {
    let started = performance.now();
    const schemas = make();
    build[name].push(performance.now() - started);
    if (!schemas.metrics.safeParse(sample).success) throw new Error(`${name}: the sample does not parse`);
    if (round % 10 !== 0) continue;
    started = performance.now();
    for (let count = 0; count < PARSES; count++) schemas.metrics.safeParse(sample);
    parse[name].push((performance.now() - started) / PARSES);
  }
}
printTable(
  ["API", "build µs (median)", "× classic", "parse µs (median)", "× classic"],
  (["classic", "mini"] as const).map((name) => [
    name === "classic" ? 'zod (classic, `import * as z from "zod"`)' : "zod/mini",
    fixed(median(build[name]) * 1000, 1),
    ratio(median(build[name]), median(build.classic)),
    fixed(median(parse[name]) * 1000, 2),
    ratio(median(parse[name]), median(parse.classic)),
  ]),
  `Building a metrics schema (${CATEGORIES}×${FIELDS} optional numbers, meta) and a chat request schema, ${times} times each, alternating`,
);
