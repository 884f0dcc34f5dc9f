import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createConnection } from "node:net";

/** One process of the dev stack. */
export interface DevChild {
  readonly process: ChildProcess;
  /** Stops it on purpose: its exit does not stop the stack (used to restart it). */
  stop(): Promise<void>;
}

/**
 * The processes and servers of `npm run dev`: a child that exits by itself stops the whole stack;
 * Ctrl-C (SIGINT) or SIGTERM stops every child and runs every cleanup, then exits.
 */
export class DevStack {
  private readonly children = new Set<ChildProcess>();
  private readonly cleanups: Array<() => Promise<void> | void> = [];
  private closing = false;
  private readonly cwd: string;

  constructor(cwd: string) {
    this.cwd = cwd;
    process.on("SIGINT", () => void this.shutdown(0));
    process.on("SIGTERM", () => void this.shutdown(0));
  }

  run(name: string, command: string, args: string[]): DevChild {
    const child = spawn(command, args, { cwd: this.cwd, stdio: "inherit", detached: false });
    this.children.add(child);
    let stopping = false;
    child.on("exit", (code) => {
      this.children.delete(child);
      if (stopping || this.closing) return;
      console.log(`${name} exited (${code ?? "signal"}); stopping the stack.`);
      void this.shutdown(code ?? 1);
    });
    return {
      process: child,
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        stopping = true;
        const exited = once(child, "exit");
        child.kill("SIGTERM");
        await exited;
      },
    };
  }

  onShutdown(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup);
  }

  async shutdown(code: number): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const child of this.children) child.kill("SIGTERM");
    for (const cleanup of this.cleanups) await cleanup();
    process.exit(code);
  }
}

/** Whether something accepts TCP connections on `host:port`. */
export function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

/** Polls until `check` holds (every 250 ms); false after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** Whether `url` answers HTTP at all (any status). */
export const answers = (url: string) => () =>
  fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
    async (response) => {
      await response.body?.cancel();
      return true;
    },
    () => false,
  );
