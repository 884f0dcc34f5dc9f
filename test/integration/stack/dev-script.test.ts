import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../helpers/partykit";
import { binDir, freePort, repoRoot, stopGroup, waitUntilServing } from "../../helpers/processes";

/**
 * `npm run dev` as a newcomer runs it, on an offline machine: the stack comes up and prints no
 * network error (neither wrangler nor partykit tries to download Request.cf data).
 */
let dev: ChildProcess;
let output = "";
let apiUrl = "";
let roomsUrl = "";
let vectorsPort = 0;

beforeAll(async () => {
  const [api, rooms, redis, bridge, vectors] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  vectorsPort = vectors;
  apiUrl = `http://127.0.0.1:${api}`;
  roomsUrl = `http://127.0.0.1:${rooms}`;
  dev = spawn(join(binDir, "node"), [join(repoRoot, "scripts", "dev.ts")], {
    cwd: repoRoot,
    detached: true,
    env: {
      ...process.env,
      PATH: `${binDir}:${process.env.PATH ?? ""}`,
      DEV_API_PORT: String(api),
      DEV_ROOMS_PORT: String(rooms),
      DEV_REDIS_PORT: String(redis),
      DEV_BRIDGE_PORT: String(bridge),
      DEV_VECTORS_PORT: String(vectors),
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_VECTOR_DB: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  dev.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  dev.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await Promise.all([
    waitUntilServing(`${apiUrl}/health`, dev, 90_000),
    waitUntilServing(roomsUrl, dev, 90_000),
  ]);
}, 120_000);

afterAll(async () => {
  if (dev) await stopGroup(dev);
});

describe("npm run dev on an offline machine", () => {
  it("serves the API and the rooms on the ports it was given", async () => {
    const health = await fetch(`${apiUrl}/health`);
    expect([200, 503]).toContain(health.status);
    expect(((await health.json()) as { version?: string }).version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("starts the local vector store (PGlite + pgvector) and migrates it, when no Postgres is configured", async () => {
    await waitFor(() => output.includes("Vector store ready"), "the vector store", 150_000);
    const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${vectorsPort}/postgres`, { max: 1 });
    try {
      const [row] = await sql`select count(*)::int as tables from pg_tables where tablename = 'nn_vectors'`;
      expect(row?.tables).toBe(1);
    } finally {
      await sql.end();
    }
  }, 160_000);

  it("prints no DNS or network errors while it starts and serves requests", async () => {
    // Requests are what make a dev server look up Request.cf data; give it a few to fail on.
    for (let i = 0; i < 3; i++) await fetch(`${apiUrl}/health`);
    await fetch(`${roomsUrl}/parties/main/some-room`).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(output).not.toMatch(/ENOTFOUND|getaddrinfo|EAI_AGAIN/);
  });
});
