import type { Config } from "../config";
import { PROVIDERS, type ProviderName } from "./registry";
import type { Provider } from "./types";

/** The configured providers in the order they are tried. */
export function createProviders(config: Config): Provider<ProviderName>[] {
  const limits = { firstByteMs: config.timeouts.firstByteMs };
  return config.providerOrder.flatMap((name) => {
    const descriptor = PROVIDERS.find((entry) => entry.name === name);
    const settings = config.providers[name];
    return descriptor && settings ? [descriptor.create(settings, limits)] : [];
  });
}

export { NO_PROVIDER_DETAILS, PROVIDER_NAMES, type ProviderName } from "./registry";
export type {
  ChatTurn,
  Completion,
  Provider,
  StreamEvent,
  TokenUsage,
  ToolCall,
  ToolCallDelta,
} from "./types";
