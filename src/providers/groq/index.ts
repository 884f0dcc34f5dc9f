import * as z from "zod";
import { modelName, optionalText, url } from "../../lib/env-fields";
import { createOpenAICompatibleProvider } from "../openai-compatible";
import { defineProvider } from "../types";
import { groqHooks } from "./wire";

/** Groq's OpenAI-compatible API; it prefers `max_completion_tokens` (`max_tokens` is deprecated). */
export const groq = defineProvider({
  name: "groq",
  setup: "GROQ_API_KEY (Groq)",
  env: z.object({
    GROQ_API_KEY: optionalText,
    /** A common misspelling, accepted so a typo does not silently switch Groq off. */
    GROG_API_KEY: optionalText,
    GROQ_BASE_URL: url.default("https://api.groq.com/openai/v1"),
    GROQ_MODEL: modelName("openai/gpt-oss-20b"),
  }),
  settings(vars) {
    const apiKey = vars.GROQ_API_KEY ?? vars.GROG_API_KEY;
    return apiKey ? { apiKey, baseUrl: vars.GROQ_BASE_URL, model: vars.GROQ_MODEL } : undefined;
  },
  secrets: (settings) => [settings.apiKey],
  create: (settings, limits) =>
    createOpenAICompatibleProvider({ name: "groq", ...settings, ...limits, hooks: groqHooks }),
});
