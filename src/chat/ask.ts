import { linkedController } from "../lib/abort";
import { runChain } from "../providers/chain";
import type { ProviderError } from "../providers/errors";
import type { StreamEvent } from "../providers/types";
import type { Services } from "../services";
import { recordChatUsage } from "../usage/chat-hooks";
import type { PreparedChat } from "./prepare";
import { announce } from "./room-progress";
import type { Reply, WaitUntil } from "./types";

/** A provider stream whose first event has arrived, so a failure before it could still fall back. */
export interface OpenedStream {
  iterator: AsyncIterator<StreamEvent>;
  first: IteratorResult<StreamEvent>;
  provider: Reply["provider"];
  /** Aborts when the client goes away or the chain's budget runs out. */
  signal: AbortSignal;
  /** Stops the upstream stream (the client went away). */
  cancel: () => void;
  /** Stops the budget's timer once the stream is complete. */
  release: () => void;
  /** Call on each chunk: keeps the idle timeout from firing. */
  dataArrived: () => void;
}

export type Answer =
  | { kind: "reply"; reply: Reply; provider: Reply["provider"]; failures: ProviderError[] }
  | { kind: "stream"; stream: OpenedStream; provider: Reply["provider"]; failures: ProviderError[] };

export interface AskOptions {
  /** Open a stream instead of waiting for the whole reply. */
  stream: boolean;
  /** The client's request signal. */
  signal: AbortSignal;
  waitUntil: WaitUntil;
}

/**
 * Asks the provider chain for a chat's reply — whole, or as a stream opened up to its first event —
 * and tells the conversation's room it is generating (or that it failed).
 *
 * @example
 * const answer = await askProviders(chat, services, { stream: false, signal, waitUntil });
 * if (answer.kind === "reply") return c.json(await finishChat(chat, answer.reply, services, waitUntil));
 */
export async function askProviders(
  chat: PreparedChat,
  services: Services,
  options: AskOptions,
): Promise<Answer> {
  const { waitUntil } = options;
  announce(chat, services, "generating", waitUntil);
  const chainOptions = {
    ...services.config.retry,
    totalMs: services.config.timeouts.totalMs,
    modelPinned: chat.request.model !== undefined,
  };
  try {
    if (options.stream) {
      const cancel = linkedController(options.signal);
      const opened = await runChain(
        chat.providers,
        async (provider, signal) => {
          const iterator = provider.stream(chat.completion, signal)[Symbol.asyncIterator]();
          return { iterator, first: await iterator.next() };
        },
        chainOptions,
        cancel.signal,
      );
      const provider = opened.provider.name;
      const { timeouts } = services.config;
      const { dataArrived } = opened.streaming(timeouts.streamIdleMs, timeouts.streamMaxMs);
      const stream = {
        ...opened.value,
        provider,
        signal: opened.signal,
        cancel: () => cancel.abort(),
        release: opened.release,
        dataArrived,
      };
      return { kind: "stream", stream, provider, failures: opened.failures };
    }
    const result = await runChain(
      chat.providers,
      (provider, signal) => provider.complete(chat.completion, signal),
      chainOptions,
      options.signal,
    );
    result.release();
    const provider = result.provider.name;
    const reply = { ...result.value, provider, providerMs: Date.now() - chat.startedAt };
    return { kind: "reply", reply, provider, failures: result.failures };
  } catch (error) {
    announce(chat, services, options.signal.aborted ? "cancelled" : "error", waitUntil);
    recordChatUsage(chat, services, waitUntil, { outcome: options.signal.aborted ? "cancelled" : "failed" });
    throw error;
  }
}
