import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = findRepoRoot();
const binDir = join(repoRoot, "node_modules", ".bin");

/** The nearest folder above this file holding `wrangler.toml` (also when this file is bundled elsewhere). */
function findRepoRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, "wrangler.toml"))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error("wrangler.toml not found above the test helpers");
    folder = parent;
  }
  return folder;
}

export interface WranglerDevServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Everything wrangler printed so far (the worker's request log lines included). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartWranglerDevOptions {
  /** Bindings passed with `--var`; they win over `wrangler.toml` `[vars]`. `.dev.vars` is never read. */
  vars?: Record<string, string>;
  /** A fixed port; a free one by default. */
  port?: number;
  readyTimeoutMs?: number;
}

/**
 * Starts a real `wrangler dev` for this repository on 127.0.0.1, with state in a temporary folder and
 * without the developer's `.dev.vars`, and waits until the worker answers. `stop()` ends its whole
 * process group (wrangler, workerd and esbuild).
 *
 * @example
 * const worker = await startWranglerDev({ vars: { AUTH_DISABLED: "true" } });
 * afterAll(() => worker.stop());
 * await fetch(`${worker.url}/health`);
 */
export async function startWranglerDev({
  vars = {},
  port,
  readyTimeoutMs = 90_000,
}: StartWranglerDevOptions = {}): Promise<WranglerDevServer> {
  const listenPort = port ?? (await freePort());
  const inspectorPort = await freePort();
  const scratch = mkdtempSync(join(tmpdir(), "nexus-wrangler-"));
  const emptyEnvFile = join(scratch, "empty.env");
  writeFileSync(emptyEnvFile, "");
  const varArgs = Object.entries(vars).flatMap(([key, value]) => ["--var", `${key}:${value}`]);
  const { CLOUDFLARE_INCLUDE_PROCESS_ENV: _ignored, ...parentEnv } = process.env;
  const child = spawn(
    join(binDir, "wrangler"),
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(listenPort),
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      join(scratch, "state"),
      "--env-file",
      emptyEnvFile,
      "--show-interactive-dev-session=false",
      ...varArgs,
    ],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...parentEnv,
        PATH: `${binDir}:${parentEnv.PATH ?? ""}`,
        CI: "true",
        FORCE_COLOR: "0",
        WRANGLER_SEND_METRICS: "false",
      },
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${listenPort}`;
  const stop = async () => {
    await stopGroup(child);
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(`${url}/health`, child, readyTimeoutMs);
  } catch (error) {
    await stop();
    throw new Error(`wrangler dev did not start: ${(error as Error).message}\n${output}`);
  }
  return { url, port: listenPort, output: () => output, stop };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const address = probe.address();
  probe.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function waitUntilServing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`not serving after ${timeoutMs} ms`);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, "exit");
  process.kill(-child.pid, "SIGTERM");
  const killer = setTimeout(() => {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  }, 5_000);
  await exited;
  clearTimeout(killer);
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // the whole group is gone already
  }
}
