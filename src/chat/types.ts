import type { Completion } from "../providers";
import type { ChatResponse } from "../schemas/chat";

/** Hands work to the runtime to finish after the response (`executionCtx.waitUntil`). */
export type WaitUntil = (promise: Promise<unknown>) => void;

/** A provider's whole reply, with who gave it and how long it took. */
export interface Reply extends Completion {
  provider: ChatResponse["provider"];
  providerMs: number;
}
