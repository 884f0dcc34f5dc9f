import type { Config } from "../../config";
import { createOpenAICompatibleProvider } from "../openai-compatible";
import type { Provider } from "../types";

type OpenAISettings = NonNullable<Config["providers"]["openai"]>;

/**
 * Any OpenAI-compatible server (OpenAI, vLLM, LM Studio, Ollama's `/v1`, …). Sends `max_tokens`,
 * the field every such server reads (Ollama's layer ignores `max_completion_tokens`).
 */
export function createOpenAIProvider(settings: OpenAISettings, firstByteMs: number): Provider {
  return createOpenAICompatibleProvider({
    name: "openai",
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    model: settings.model,
    maxTokensField: "max_tokens",
    firstByteMs,
  });
}
