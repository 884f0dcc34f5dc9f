import type { Config, ProviderName } from "../config";
import { createGroqProvider } from "./groq";
import { createOllamaProvider } from "./ollama";
import { createOpenAIProvider } from "./openai";
import type { Provider } from "./types";

const factories: { [name in ProviderName]: (config: Config) => Provider | undefined } = {
  groq: (config) =>
    config.providers.groq && createGroqProvider(config.providers.groq, config.timeouts.firstByteMs),
  ollama: (config) =>
    config.providers.ollama && createOllamaProvider(config.providers.ollama, config.timeouts.firstByteMs),
  openai: (config) =>
    config.providers.openai && createOpenAIProvider(config.providers.openai, config.timeouts.firstByteMs),
};

const built = new WeakMap<Config, Provider[]>();

/** The configured providers in the order they are tried; built once per config. */
export function providersFor(config: Config): Provider[] {
  let providers = built.get(config);
  if (!providers) {
    providers = config.providerOrder.map((name) => factories[name](config)).filter((p): p is Provider => !!p);
    built.set(config, providers);
  }
  return providers;
}

export type { ChatTurn, Completion, Provider, StreamEvent, TokenUsage } from "./types";
