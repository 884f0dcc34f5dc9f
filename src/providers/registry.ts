import type * as z from "zod";
import { groq } from "./groq";
import { ollama } from "./ollama";
import { openai } from "./openai";
import type { ProviderDescriptor } from "./types";

/**
 * Every provider the worker knows, in the default order of the chain (`LLM_PROVIDERS` reorders).
 * Adding one is a folder under `providers/` exporting a descriptor, and one entry here.
 */
const REGISTERED = [groq, ollama, openai] as const;

type Registered = (typeof REGISTERED)[number];
export type ProviderName = Registered["name"];

/** Each provider's settings by name; a provider that is not configured is absent. */
export type ProviderSettings = {
  [D in Registered as D["name"]]?: D extends ProviderDescriptor<string, z.ZodObject, infer S> ? S : never;
};

/** The descriptors with their settings type erased, for code that treats every provider alike. */
export const PROVIDERS: ReadonlyArray<ProviderDescriptor<ProviderName, z.ZodObject, unknown>> = REGISTERED;

export const PROVIDER_NAMES = REGISTERED.map((descriptor) => descriptor.name) as unknown as readonly [
  ProviderName,
  ...ProviderName[],
];

/** The answer when no provider is configured: which variable switches on each one. */
export const NO_PROVIDER_DETAILS = `No LLM provider is configured: set ${joinAlternatives(
  PROVIDERS.map((descriptor) => descriptor.setup),
)}, and optionally LLM_PROVIDERS to choose their order.`;

function joinAlternatives(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}
