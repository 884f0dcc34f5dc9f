import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { freePort, repoRoot, stopGroup } from "./processes.ts";

/** A throwaway PGlite + pgvector served over the Postgres wire protocol by `scripts/vector-server.ts`. */
export type VectorServerProcess = Awaited<ReturnType<typeof startVectorServer>>;

const READY_LINE = "vector store listening on ";
// PGlite compiles Postgres from WebAssembly at start: seconds, longer on a busy machine.
const START_TIMEOUT_MS = 120_000;

function spawnServer(port: number, migrate: boolean): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, "scripts/vector-server.ts"), "--port", String(port), ...(migrate ? ["--migrate"] : [])],
    { cwd: repoRoot, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    const settle = (error?: Error) => {
      clearTimeout(timer);
      child.off("exit", onEarlyExit);
      child.stdout?.off("data", onOutput);
      child.stdout?.resume();
      child.stderr?.resume();
      if (!error) return resolve(child);
      void stopGroup(child);
      reject(error);
    };
    const onEarlyExit = (code: number | null) =>
      settle(new Error(`the vector store exited with ${code}:\n${output}`));
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY_LINE)) settle();
    };
    const timer = setTimeout(
      () => settle(new Error(`the vector store did not start:\n${output}`)),
      START_TIMEOUT_MS,
    );
    child.on("exit", onEarlyExit);
    child.stdout?.on("data", onOutput);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  });
}

/**
 * Starts `scripts/vector-server.ts` as its own process on a free port and waits until it listens.
 * `url` is `postgres://postgres:postgres@127.0.0.1:<port>/postgres`; `stop()` ends it, keeping the port;
 * `restart()` starts it again there with an empty database (migrated again when `migrate` is set).
 *
 * @example
 * const vectors = await startVectorServer({ migrate: true });
 * afterAll(() => vectors.stop());
 * const store = createPostgresVectorStore({ connectionString: vectors.url, timeoutMs: 2_000 });
 */
export async function startVectorServer({ migrate = false } = {}) {
  const port = await freePort();
  let child: ChildProcess | undefined = await spawnServer(port, migrate);
  return {
    port,
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (child) await stopGroup(child);
      child = undefined;
    },
    async restart() {
      if (child) await stopGroup(child);
      child = await spawnServer(port, migrate);
    },
  };
}
