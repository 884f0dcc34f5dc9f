import { createServer, request } from "node:http";
import { readBody } from "./fake-llm";
import { listenOnLoopback } from "./processes";

/** How many forwarded requests the proxy remembers for `GET /__seen/<text>`. */
const SEEN_KEPT = 5_000;

/**
 * An HTTP proxy in front of `target` that holds each request whose body contains `hold-<key>` until
 * `POST /__release/<key>`, then forwards it (and every later one carrying it): a write that lands
 * late, as a write retried after a timeout does. `GET /__held/<key>` answers `{held}`;
 * `GET /__seen/<text>` answers `{requests: [{path, body}]}`, the requests whose body contains
 * `<text>`, in the order they arrived.
 *
 * @example
 * const proxy = await startHoldingProxy(bridge.url);
 * // point the client at proxy.url; a command carrying "hold-k1" waits for POST /__release/k1
 */
export async function startHoldingProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const held = new Map<string, Array<() => void>>();
  const released = new Set<string>();
  const seen: Array<{ path: string; body: string }> = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    if (url.pathname.startsWith("/__seen/")) {
      const text = decodeURIComponent(url.pathname.slice("/__seen/".length));
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ requests: seen.filter(({ body }) => body.includes(text)) }));
    }
    if (url.pathname.startsWith("/__held/")) {
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ held: held.get(url.pathname.slice(8))?.length ?? 0 }));
    }
    if (url.pathname.startsWith("/__release/")) {
      const key = url.pathname.slice("/__release/".length);
      released.add(key);
      for (const release of held.get(key) ?? []) release();
      held.delete(key);
      return void res.writeHead(204).end();
    }
    const body = await readBody(req);
    seen.push({ path: url.pathname, body });
    if (seen.length > SEEN_KEPT) seen.splice(0, seen.length - SEEN_KEPT);
    const key = /hold-([A-Za-z0-9]+)/.exec(body)?.[1];
    if (key && !released.has(key))
      await new Promise<void>((resolve) => held.set(key, [...(held.get(key) ?? []), resolve]));
    const upstream = request(
      new URL(req.url ?? "/", target),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    upstream.end(body);
  });
  return listenOnLoopback(server);
}
