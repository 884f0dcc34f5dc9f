import * as z from "zod";
import { optionalUrl } from "../../lib/env-fields";
import { createOpenAICompatibleProvider } from "../openai-compatible";
import { defineProvider } from "../types";
import { DEMO_MODEL } from "./model";

const LOOPBACK_URL = /^http:\/\/(127(?:\.\d{1,3}){3}|localhost|\[::1\])(:\d+)?(\/|$)/i;

/**
 * The demo upstream `npm run dev` starts on 127.0.0.1 (scripts/dev/demo-provider.ts): canned sample
 * replies, OpenAI's wire format. It stands in only while no real provider is configured, and only
 * on loopback: a deployed worker can never be configured to answer with it.
 */
export const demo = defineProvider({
  name: "demo",
  setup: "DEMO_PROVIDER_URL (the canned demo of npm run dev)",
  standIn: true,
  env: z.object({
    DEMO_PROVIDER_URL: optionalUrl.refine((value) => value === undefined || LOOPBACK_URL.test(value), {
      error: "must be an http://127.0.0.1 URL: the demo provider runs only beside npm run dev",
    }),
  }),
  settings: (vars) => (vars.DEMO_PROVIDER_URL ? { baseUrl: vars.DEMO_PROVIDER_URL } : undefined),
  secrets: () => [],
  create: (settings, limits) =>
    createOpenAICompatibleProvider({ name: "demo", ...settings, model: DEMO_MODEL, ...limits }),
});
