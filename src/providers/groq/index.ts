import type { Config } from "../../config";
import { createOpenAICompatibleProvider } from "../openai-compatible";
import type { Provider } from "../types";

type GroqSettings = NonNullable<Config["providers"]["groq"]>;

/** Groq's OpenAI-compatible API; it prefers `max_completion_tokens` (`max_tokens` is deprecated). */
export function createGroqProvider(settings: GroqSettings, firstByteMs: number): Provider {
  return createOpenAICompatibleProvider({
    name: "groq",
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    model: settings.model,
    maxTokensField: "max_completion_tokens",
    firstByteMs,
  });
}
