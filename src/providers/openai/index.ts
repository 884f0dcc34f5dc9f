import * as z from "zod";
import { modelName, optionalText, optionalUrl } from "../../lib/env-fields";
import { createOpenAICompatibleProvider } from "../openai-compatible";
import { defineProvider } from "../types";

/**
 * Any OpenAI-compatible server (OpenAI, vLLM, LM Studio, Ollama's `/v1`, …). Sends `max_tokens`,
 * the field every such server reads (Ollama's layer ignores `max_completion_tokens`).
 */
export const openai = defineProvider({
  name: "openai",
  setup: "OPENAI_BASE_URL (any OpenAI-compatible server)",
  env: z.object({
    OPENAI_BASE_URL: optionalUrl,
    OPENAI_API_KEY: optionalText,
    OPENAI_MODEL: modelName("gpt-4o-mini"),
  }),
  settings: (vars) =>
    vars.OPENAI_BASE_URL
      ? { baseUrl: vars.OPENAI_BASE_URL, apiKey: vars.OPENAI_API_KEY, model: vars.OPENAI_MODEL }
      : undefined,
  secrets: (settings) => [settings.apiKey],
  create: (settings, limits) => createOpenAICompatibleProvider({ name: "openai", ...settings, ...limits }),
});
