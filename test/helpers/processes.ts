import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { listen } from "../../scripts/dev/http.ts";

/** The repository root: the nearest folder above this file holding `package.json` (also when bundled elsewhere). */
export const repoRoot = findRepoRoot();
/** The project's own tools (wrangler, partykit), run with the project's node. */
export const binDir = join(repoRoot, "node_modules", ".bin");

function findRepoRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, "wrangler.toml")) || !existsSync(join(folder, "partykit.json"))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error("the repository root was not found above the test helpers");
    folder = parent;
  }
  return folder;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("could not reserve a port");
  return address.port;
}

/**
 * Another process answered on the port picked for ours: `freePort` gives a port back to the OS
 * before our server binds it, and another server (a miniflare loopback, say) can take it meanwhile.
 */
export class PortTakenError extends Error {}

/**
 * Polls `url` until it answers; fails early if `child` exits. With `isOurs`, an answer that is not
 * our server's throws {@link PortTakenError} at once, instead of passing for ours.
 */
export async function waitUntilServing(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  isOurs?: (response: Response) => boolean | Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    let response: Response | undefined;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    if (!isOurs || (await isOurs(response.clone()))) return;
    throw new PortTakenError(`another server answered ${url}: ${response.status} ${await response.text()}`);
  }
  throw new Error(`not serving after ${timeoutMs} ms`);
}

/**
 * Runs `start` again on new ports (up to three times in all) when the ports it was given were taken
 * before its server could bind them: it threw {@link PortTakenError}, or its output says so.
 */
export async function withFreshPorts<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      const taken =
        error instanceof PortTakenError || /EADDRINUSE|address already in use/i.test(String(error));
      if (!taken || attempt === 3) throw error;
    }
  }
}

/**
 * Stops a child started with `detached: true` and everything it spawned (SIGTERM, then SIGKILL).
 * Once the child has exited, what is left of its group is killed outright: a workerd still shutting
 * down after its wrangler or partykit had exited would keep its port and its CPU for the files that
 * run next. (A child that had already exited is left alone: its group id may belong to someone else
 * by now.)
 */
export async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const group = child.pid;
  const exited = once(child, "exit");
  signalGroup(group, "SIGTERM");
  const killer = setTimeout(() => signalGroup(group, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(killer);
  signalGroup(group, "SIGKILL");
}

/** Signals a process group; a group that is already gone is fine. */
export function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/** Starts `server` on a free port of 127.0.0.1; `close()` also ends its open keep-alive connections. */
export function listenOnLoopback(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  return listen(server, "127.0.0.1", 0);
}
