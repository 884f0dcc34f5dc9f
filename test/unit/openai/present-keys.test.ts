import { describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { OpenAIChatHeadersSchema, OpenAIChatRequestSchema } from "../../../src/openai/schemas";
import { presentKeysParser } from "../../../src/openapi/present-keys";
import { ChatRequestSchema } from "../../../src/schemas/chat";

const user = { role: "user", content: "Hello" };

/** Requests as clients send them: minimal, full, with unknown fields, nulls, wrong types, missing fields. */
const OPENAI_BODIES: unknown[] = [
  { model: "groq/openai/gpt-oss-20b", messages: [user] },
  { model: "default", messages: [user], stream: true, stream_options: { include_usage: true } },
  {
    model: "groq/openai/gpt-oss-20b",
    messages: [{ role: "system", content: "Be brief" }, user],
    temperature: 0.2,
    top_p: null,
    max_tokens: 50,
    seed: 7,
    user: "u-1",
    logprobs: true,
    top_logprobs: 2,
    stop: ["\n"],
    response_format: { type: "json_object" },
    tools: [{ type: "function", function: { name: "weather", parameters: { type: "object" } } }],
    tool_choice: "auto",
    unknown_field: "ignored",
  },
  { model: "groq/openai/gpt-oss-20b", messages: [user], temperature: 3, n: 2, max_tokens: 0 },
  { model: "", messages: [] },
  { messages: [user] },
  { model: "x", messages: [{ role: "wizard", content: "?" }], stream: "yes" },
  { model: "x", messages: [user], reasoning_effort: "extreme", logit_bias: { a: 1 } },
  {},
  null,
  "not an object",
  [user],
];

const CHAT_BODIES: unknown[] = [
  { message: "Hello" },
  { message: "Hello", metrics: "off", stream: true, temperature: 0.5 },
  { message: "", metrics: "never" },
  { metrics: "off" },
  { message: "Hello", context: [{ role: "user", content: "Before" }], extra: 1 },
];

const HEADERS: unknown[] = [
  {},
  { "x-metrics": "off" },
  { "x-metrics": "async", "x-include-metrics": "true", "x-conversation-id": "conv_1" },
  { "x-metrics": "sometimes", "x-include-metrics": "maybe" },
];

describe("parsing an object by the keys it has", () => {
  it.each([
    ["the OpenAI chat request", OpenAIChatRequestSchema(), OPENAI_BODIES],
    ["the /chat request", ChatRequestSchema(), CHAT_BODIES],
    ["the /v1 headers", OpenAIChatHeadersSchema(), HEADERS],
  ] as const)(
    "gives what the whole schema gives for %s: data, defaults and issues in order",
    (_, schema, inputs) => {
      const parse = presentKeysParser(schema as z.ZodType);
      for (const input of inputs) {
        const expected = (schema as z.ZodType).safeParse(input);
        // Twice: the first parse of a key set makes its schema, the second reuses it.
        for (const actual of [parse(input), parse(input)]) {
          expect(actual.success, JSON.stringify(input)).toBe(expected.success);
          if (expected.success) expect(actual.data).toStrictEqual(expected.data);
          else expect(actual.error?.issues).toEqual(expected.error.issues);
        }
      }
    },
  );

  it("falls back to the whole schema past 64 key sets, and for schemas with refinements", () => {
    const shape = Object.fromEntries(
      Array.from({ length: 8 }, (_, index) => [`k${index}`, z.number().optional()]),
    );
    const schema = z.object(shape);
    const pick = vi.spyOn(schema, "pick");
    const parse = presentKeysParser(schema);
    for (let mask = 0; mask < 256; mask++) {
      const input = Object.fromEntries(
        Object.keys(shape).flatMap((key, index) => (mask & (1 << index) ? [[key, index]] : [])),
      );
      expect(parse(input)).toStrictEqual(schema.safeParse(input));
    }
    // One schema made per key set, and no more than 64 of them: the cache is bounded.
    expect(pick).toHaveBeenCalledTimes(64);
    const refined = z.object({ a: z.number().optional() }).refine((value) => value.a !== 1, "not one");
    const parseRefined = presentKeysParser(refined);
    expect(parseRefined({ a: 1 }).error?.issues).toEqual(refined.safeParse({ a: 1 }).error?.issues);
  });
});
