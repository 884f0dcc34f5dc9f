import type * as z from "zod";
import { demo } from "./demo";
import { groq } from "./groq";
import { ollama } from "./ollama";
import { openai } from "./openai";
import type { ProviderDescriptor } from "./types";

/**
 * Every provider the worker knows, in the default order of the chain (`LLM_PROVIDERS` reorders).
 * Adding one is a folder under `providers/` exporting a descriptor, and one entry here.
 */
const REGISTERED = [groq, ollama, openai, demo] as const;

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

const REAL_PROVIDER_SETUP = joinAlternatives(
  PROVIDERS.filter((descriptor) => !descriptor.standIn).map((descriptor) => descriptor.setup),
);

/** The answer when no provider is configured: which variable switches on each one. */
export const NO_PROVIDER_DETAILS = `No LLM provider is configured: set ${REAL_PROVIDER_SETUP}, and optionally LLM_PROVIDERS to choose their order.`;

/** Whether `name` is a stand-in: the demo provider, canned replies instead of a model. */
export const isStandIn = (name: string): boolean =>
  PROVIDERS.some((descriptor) => descriptor.name === name && descriptor.standIn === true);

/** What `/health` says while a stand-in (the demo provider) answers instead of a model. */
export const STAND_IN_NOTICE = `Demo provider: replies are canned sample texts, not a model's answers. For real replies set ${REAL_PROVIDER_SETUP} in .dev.vars.`;

function joinAlternatives(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}
