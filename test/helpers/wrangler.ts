import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  binDir,
  freePort,
  PortTakenError,
  repoRoot,
  stopGroup,
  waitUntilServing,
  withFreshPorts,
} from "./processes";

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
  /** Extra environment for wrangler itself, e.g. `CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_VECTOR_DB`. */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** Expose the scheduled handler at `/__scheduled` (`--test-scheduled`). */
  testScheduled?: boolean;
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
export function startWranglerDev(options: StartWranglerDevOptions = {}): Promise<WranglerDevServer> {
  return options.port === undefined ? withFreshPorts(() => startOnce(options)) : startOnce(options);
}

async function startOnce({
  vars = {},
  port,
  env = {},
  readyTimeoutMs = 90_000,
  testScheduled = false,
}: StartWranglerDevOptions): Promise<WranglerDevServer> {
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
      ...(testScheduled ? ["--test-scheduled"] : []),
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
        ...env,
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
    // Every answer of the worker carries X-Request-Id; a server that took the port first does not.
    await waitUntilServing(`${url}/health`, child, readyTimeoutMs, (response) =>
      response.headers.has("x-request-id"),
    );
  } catch (error) {
    await stop();
    const message = `wrangler dev did not start: ${(error as Error).message}\n${output}`;
    throw error instanceof PortTakenError ? new PortTakenError(message) : new Error(message);
  }
  return { url, port: listenPort, output: () => output, stop };
}
