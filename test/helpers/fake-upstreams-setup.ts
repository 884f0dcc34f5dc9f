import type { TestProject } from "vitest/node";
import { startFakeLlm } from "./fake-llm";
import { filterWorkerdNetworkNoise } from "./workerd-logs";

declare module "vitest" {
  export interface ProvidedContext {
    fakeLlmUrl: string;
  }
}

/** Starts the fake LLM once for the worker tests (they run inside workerd and cannot start servers). */
export default async function setup(project: TestProject) {
  const fake = await startFakeLlm();
  project.provide("fakeLlmUrl", fake.url);
  const stopFiltering = filterWorkerdNetworkNoise();
  return async () => {
    stopFiltering();
    await fake.close();
  };
}
