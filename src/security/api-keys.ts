import { timingSafeEqual } from "hono/utils/buffer";

export interface NamedKey {
  name: string;
  key: string;
}

export type BearerParse = { kind: "missing" } | { kind: "malformed" } | { kind: "token"; token: string };

const BEARER = /^Bearer +([\x21-\x7e]{1,512})$/i;

/** Reads `Authorization: Bearer <key>`, telling a missing header from a malformed one. */
export function parseBearer(header: string | undefined): BearerParse {
  if (header === undefined || header.trim() === "") return { kind: "missing" };
  const token = BEARER.exec(header.trim())?.[1];
  return token ? { kind: "token", token } : { kind: "malformed" };
}

/**
 * The configured key equal to `presented`, compared in constant time against every key (no early
 * exit), so timing reveals neither the key nor which entry matched.
 *
 * @example
 * const match = await matchKey(token, config.auth.keys);
 * if (match) c.set("facts", { ...c.get("facts"), keyName: match.name });
 */
export async function matchKey(presented: string, keys: readonly NamedKey[]): Promise<NamedKey | undefined> {
  let match: NamedKey | undefined;
  for (const entry of keys) {
    if ((await timingSafeEqual(entry.key, presented)) && !match) match = entry;
  }
  return match;
}
