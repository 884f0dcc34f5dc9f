import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killOnExit } from "./children.ts";
import { freePort, REPO_ROOT, sleep } from "./workerd.ts";

/** Our worker under `wrangler dev` (local mode), for one reference row: its proxy is the bottleneck. */
export interface WranglerDev {
  url: string;
  stop(): Promise<void>;
}

/** Starts `wrangler dev` for a wrangler config on free 127.0.0.1 ports, with `vars` from an env file. */
export async function startWranglerDev(
  wranglerConfig: string,
  vars: Record<string, string>,
): Promise<WranglerDev> {
  const workdir = await mkdtemp(join(tmpdir(), "neon-nexus-bench-dev-"));
  const envFile = join(workdir, "bench.env");
  await writeFile(
    envFile,
    Object.entries(vars)
      .map(([name, value]) => `${name}=${JSON.stringify(value)}\n`)
      .join(""),
  );
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const args = ["dev", "--config", wranglerConfig, "--local", "--ip", "127.0.0.1", "--port", String(port)];
  args.push(
    "--inspector-port",
    String(inspectorPort),
    "--env-file",
    envFile,
    "--persist-to",
    join(workdir, "state"),
  );
  args.push("--show-interactive-dev-session=false", "--log-level", "error");
  const child = spawn(join(REPO_ROOT, "node_modules/.bin/wrangler"), args, {
    cwd: REPO_ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" },
    detached: true,
  });
  killOnExit(child, true);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = once(child, "exit");
  const stop = async () => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGTERM");
    await exited;
    await rm(workdir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const status = await fetch(`${url}/health`)
      .then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      })
      .catch(() => 0);
    if (status === 200) return { url, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`wrangler dev did not answer on ${url}: ${stderr}`);
}
