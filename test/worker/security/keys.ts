import { makeEnv } from "../support";

/** Keys and secrets of the security tests: long enough for the config, easy to search for. */
export const KEYS = {
  alice: "sk_alice_4c1f9d2b7e6a8035",
  bob: "sk_bob_91ae03f7c2d45b68e",
  admin: "sk_admin_5b2e7c90d1f4a836",
} as const;

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** An env with auth on: alice and bob may call the API, `ops` may also read the audit trail. */
export function securedEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return makeEnv({
    AUTH_DISABLED: "false",
    API_KEYS: `alice:${KEYS.alice},bob:${KEYS.bob}`,
    ADMIN_API_KEYS: `ops:${KEYS.admin}`,
    ...overrides,
  });
}

export interface Envelope {
  status: string;
  error: string;
  details: string;
}

export { awayFromMinuteEdge } from "../../helpers/time";
