import fc from "fast-check";

/** Strings an attacker would try: huge, lone surrogates, control characters, prototype keys, numbers as text. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 64 }),
  fc.string({
    unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
    maxLength: 8,
  }),
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\r\n",
    "null",
    "true",
    "1e309",
    "-0",
    "NaN",
    "0x10",
    "١٢٣",
    "%00",
    "../../etc",
  ),
  fc.double().map(String),
  fc.integer({ min: 1, max: 200_000 }).map((length) => "x".repeat(length)),
);

/** Any JSON-ish value, including the odd ones: deep arrays, `__proto__` keys, big numbers. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.constantFrom(null, true, false, 0, -1, 1.5, Number.MAX_SAFE_INTEGER, 1e308, -1e-308),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileString, tie("value"), { maxKeys: 4 }),
  ),
})).value;

const CHAT_FIELDS = [
  "message",
  "context",
  "conversationId",
  "provider",
  "model",
  "temperature",
  "maxTokens",
  "stream",
  "metrics",
];

/** A JSON object whose keys are mostly the route's own fields, with hostile values. */
export const hostileObject = (fields: readonly string[]) =>
  fc.dictionary(fc.oneof(fc.constantFrom(...fields), hostileString), hostileValue, { maxKeys: 6 });

const nested = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);

/** Raw body texts: hostile objects, and the shapes JSON.stringify cannot produce. */
export const hostileBody = (fields: readonly string[] = CHAT_FIELDS): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: hostileObject(fields).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: hostileValue.map((value) => JSON.stringify(value) ?? "") },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 200_000 }).map((depth) => nested(depth, "[", "]")) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1, max: 50_000 })
        .map((depth) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...fields), hostileValue, hostileValue)
        .map(
          ([key, first, second]) =>
            `{"${key}":${JSON.stringify(first) ?? 1},"${key}":${JSON.stringify(second) ?? 2}}`,
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("__proto__", "constructor", "prototype")
        .map((key) => `{"${key}":{"polluted":true,"message":"x"},"message":"hello","text":"hello"}`),
    },
    { weight: 1, arbitrary: hostileString },
  );

/** A header value fetch accepts: no CR, LF or NUL, Latin-1 only. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  hostileString.map((text) => text.replace(/[^\x20-\x7e\x80-\xff\t]/g, "").slice(0, 8_000)),
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-16",
    "APPLICATION/JSON",
    "application/vnd.api+json",
    "text/plain",
    "multipart/form-data; boundary=x",
    "text/event-stream",
    "Bearer",
    "Bearer ",
    "bearer \t",
    "Basic dXNlcjpwYXNz",
  ),
);

function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, "?"));
  }
}

/** A path segment: percent-encoded hostile text, or the raw characters a URL keeps. */
export const pathSegment: fc.Arbitrary<string> = fc.oneof(
  hostileString.map((text) => encodeSegment(text.slice(0, 2_000))),
  fc.constantFrom(
    "..",
    ".",
    "%2e%2e",
    "%2F",
    "%00",
    "%ff",
    "%C0%AE",
    "a%2Fb",
    "__proto__",
    "constructor",
    "x".repeat(300),
  ),
);
