/**
 * Preloaded into `partykit dev` by the dev script (`node --import`). partykit 0.0.115 has no host
 * option: it serves the rooms on 0.0.0.0 and opens its inspector proxy — which can run code inside
 * the room worker that holds PARTY_SECRET — on every interface. This keeps both on 127.0.0.1:
 * listeners opened without a host bind to loopback, and the runtime it starts (miniflare) is given
 * 127.0.0.1 as its host (scripts/dev/miniflare-on-loopback.ts).
 */
import { registerHooks } from "node:module";
import net from "node:net";

const LOOPBACK = "127.0.0.1";
const ANY_INTERFACE = new Set(["0.0.0.0", "::", "[::]"]);

const isPort = (value: unknown) =>
  typeof value === "number" || (typeof value === "string" && /^\d+$/.test(value));
const onAnyInterface = (host: unknown) => host === undefined || ANY_INTERFACE.has(String(host));

/** `listen(…)`'s arguments with a missing or every-interface host replaced by 127.0.0.1. */
function onLoopback(args: unknown[]): unknown[] {
  const [first, second, ...rest] = args;
  if (first === undefined || typeof first === "function") return [0, LOOPBACK, ...args];
  if (isPort(first)) {
    if (typeof second === "string") return onAnyInterface(second) ? [first, LOOPBACK, ...rest] : args;
    return [first, LOOPBACK, ...args.slice(1)];
  }
  const options = first as net.ListenOptions;
  if (typeof first === "object" && first !== null && "port" in first && onAnyInterface(options.host))
    return [{ ...options, host: LOOPBACK }, ...args.slice(1)];
  return args;
}

const listen = net.Server.prototype.listen as (this: net.Server, ...args: unknown[]) => net.Server;
net.Server.prototype.listen = function listenOnLoopback(this: net.Server, ...args: unknown[]) {
  return listen.apply(this, onLoopback(args));
} as typeof net.Server.prototype.listen;

const shim = new URL("./miniflare-on-loopback.ts", import.meta.url);
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (specifier !== "miniflare" || !context.parentURL?.includes("/partykit/dist/")) return resolved;
    const url = new URL(shim);
    url.searchParams.set("miniflare", resolved.url);
    return { url: url.href, format: "module-typescript", shortCircuit: true };
  },
});
