import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeLlm, type FakeLlmOptions, startFakeLlm } from "../../test/helpers/fake-llm.ts";
import { processGroup } from "../../test/helpers/listeners.ts";
import { type PartykitDevServer, startPartykitDev } from "../../test/helpers/partykit.ts";
import { buildWorker, processCpuMs, type ServedWorker, serveWorker } from "../lib/workerd.ts";

/** The whole path a metrics message takes: our worker (plain workerd), a fake LLM and `partykit dev`. */
export interface RoomsStand {
  /** Our worker, `http://127.0.0.1:<port>`. */
  apiUrl: string;
  rooms: PartykitDevServer;
  /** `PARTY_SECRET`, shared by the worker and the rooms. */
  secret: string;
  /** CPU time the rooms (`partykit dev` and its workerd) have used so far, in ms. */
  roomsCpuMs(): Promise<number>;
  /** CPU time our worker's workerd has used so far, in ms. */
  workerCpuMs(): Promise<number>;
  stop(): Promise<void>;
}

const FAKE_MODEL = "ok:bench";

/** The env our worker gets: no auth, the fake LLM as its only provider, the rooms, quiet logs, rate limits out of the way. */
export function roomsBenchVars(
  llm: FakeLlm,
  rooms: PartykitDevServer,
  secret: string,
): Record<string, string> {
  return {
    AUTH_DISABLED: "true",
    LLM_PROVIDERS: "groq",
    GROQ_API_KEY: "gsk_bench_000000000000",
    GROQ_BASE_URL: llm.groqBaseUrl,
    GROQ_MODEL: FAKE_MODEL,
    PARTYKIT_HOST: rooms.url,
    PARTY_SECRET: secret,
    LOG_LEVEL: "error",
    RATE_LIMIT_CHAT_PER_MINUTE: "100000",
    // Every client asks for its own room token, a write: 1,000 of them within seconds.
    RATE_LIMIT_WRITE_PER_MINUTE: "100000",
  };
}

/**
 * Bundles the worker as `wrangler deploy` would, starts the fake LLM and `partykit dev`, then serves
 * the bundle with workerd, all on 127.0.0.1 (`options` go to the fake LLM). Every child is stopped by `stop()` or when the process exits.
 */
export async function startRoomsStand(options: FakeLlmOptions = {}): Promise<RoomsStand> {
  const workdir = await mkdtemp(join(tmpdir(), "neon-nexus-rooms-bench-"));
  process.once("exit", () => rmSync(workdir, { recursive: true, force: true }));
  const secret = randomBytes(24).toString("base64url");
  const closers: (() => Promise<void>)[] = [];
  const stop = async () => {
    await Promise.allSettled(closers.splice(0).map((close) => close()));
    await rm(workdir, { recursive: true, force: true });
  };
  try {
    const llm = await startFakeLlm(options);
    closers.push(() => llm.close());
    const [roomsStart, buildResult] = await Promise.allSettled([
      startPartykitDev({ vars: { PARTY_SECRET: secret } }),
      buildWorker("wrangler.toml", join(workdir, "worker")),
    ]);
    if (roomsStart.status === "rejected") throw roomsStart.reason;
    const rooms = roomsStart.value;
    closers.push(() => rooms.stop());
    process.once("exit", () => void rooms.stop());
    if (buildResult.status === "rejected") throw buildResult.reason;
    const built = buildResult.value;
    const worker: ServedWorker = await serveWorker(built, { vars: roomsBenchVars(llm, rooms, secret) });
    closers.push(worker.stop);
    // Listed once the rooms serve: `partykit dev` and the workerd it started, in the dev server's group.
    const roomsProcesses = processGroup(rooms.pid);
    const roomsCpuMs = async () => {
      const perProcess = await Promise.all(roomsProcesses.map((pid) => processCpuMs(pid).catch(() => 0)));
      return perProcess.reduce((sum, ms) => sum + ms, 0);
    };
    return {
      apiUrl: worker.url,
      rooms,
      secret,
      roomsCpuMs,
      workerCpuMs: worker.cpuMs,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
