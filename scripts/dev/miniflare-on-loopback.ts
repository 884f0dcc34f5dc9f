/**
 * Stands in for miniflare inside `partykit dev` (see partykit-on-loopback.ts): the same module, with
 * every Miniflare given 127.0.0.1 as its host (partykit passes 0.0.0.0), and workerd's log of a
 * client closing its socket kept quiet — a client leaving is normal, not an uncaught exception.
 */
import type { Readable } from "node:stream";
import { Transform } from "node:stream";

interface MiniflareOptions {
  host?: string;
  handleRuntimeStdio?: (stdout: Readable, stderr: Readable) => void;
  [option: string]: unknown;
}
interface MiniflareModule {
  Miniflare: new (options: MiniflareOptions) => { setOptions(options: MiniflareOptions): Promise<void> };
  Log: unknown;
  TypedEventTarget: unknown;
}

const realUrl = new URL(import.meta.url).searchParams.get("miniflare");
if (!realUrl) throw new Error("miniflare-on-loopback.ts is loaded by partykit-on-loopback.ts only");
const real = (await import(realUrl)) as MiniflareModule;

/** workerd's "uncaught exception" line for a peer that closed its WebSocket, which it marks do-not-log. */
const CLIENT_LEFT = /disconnected: worker_do_not_log/;

function withoutClientLeft(stderr: Readable): Readable {
  let skipStack = false;
  let pending = "";
  const filter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const lines = (pending + chunk.toString()).split("\n");
      pending = lines.pop() ?? "";
      const kept = lines.filter((line) => {
        const afterClientLeft = skipStack;
        skipStack = CLIENT_LEFT.test(line);
        return !skipStack && !(afterClientLeft && /^\s*stack:/.test(line));
      });
      // Nothing but blank lines left: pass nothing on (partykit would print an empty error).
      done(null, kept.some((line) => line.trim() !== "") ? `${kept.join("\n")}\n` : undefined);
    },
    flush(done) {
      done(null, pending && !CLIENT_LEFT.test(pending) ? pending : undefined);
    },
  });
  return stderr.pipe(filter);
}

function onLoopback(options: MiniflareOptions): MiniflareOptions {
  const handle = options.handleRuntimeStdio;
  return {
    ...options,
    host: "127.0.0.1",
    ...(handle ? { handleRuntimeStdio: (stdout, stderr) => handle(stdout, withoutClientLeft(stderr)) } : {}),
  };
}

export class Miniflare extends real.Miniflare {
  constructor(options: MiniflareOptions) {
    super(onLoopback(options));
  }
  override setOptions(options: MiniflareOptions): Promise<void> {
    return super.setOptions(onLoopback(options));
  }
}
export const Log = real.Log;
export const TypedEventTarget = real.TypedEventTarget;
