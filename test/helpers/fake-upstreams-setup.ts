import type { TestProject } from "vitest/node";
import { startFakeEmbedder } from "./fake-embedder";
import { startFakeLlm } from "./fake-llm";
import { filterWorkerdNetworkNoise } from "./workerd-logs";

declare module "vitest" {
  export interface ProvidedContext {
    fakeLlmUrl: string;
    fakeEmbedderUrl: string;
  }
}

/** Starts the fake LLM once for the worker tests (they run inside workerd and cannot start servers). */
export default async function setup(project: TestProject) {
  const fake = await startFakeLlm();
  const embedder = await startFakeEmbedder();
  project.provide("fakeLlmUrl", fake.url);
  project.provide("fakeEmbedderUrl", embedder.url);
  const stopFiltering = filterWorkerdNetworkNoise();
  return async () => {
    stopFiltering();
    await Promise.all([fake.close(), embedder.close()]);
  };
}
