import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { applyMigrations, MIGRATION_LOCK_KEY } from "../../../scripts/migrations.ts";
import { type PostgresServer, startPostgresServer } from "../../helpers/postgres-server";

/**
 * Two deploys migrating at once must not interleave: on a real PostgreSQL (PGlite has one session,
 * where an advisory lock never makes anyone wait), a run waits for the migration lock.
 */
let server: PostgresServer;
let folder: string;
let sql: postgres.Sql;

beforeAll(async () => {
  server = await startPostgresServer();
  sql = postgres(server.url, { max: 2, onnotice: () => {} });
  folder = await mkdtemp(join(tmpdir(), "nn-migrations-"));
  await writeFile(join(folder, "001_first.sql"), "create table lock_test_first (id int);");
  await writeFile(join(folder, "002_second.sql"), "create table lock_test_second (id int);");
}, 60_000);

afterAll(async () => {
  await sql?.end({ timeout: 1 });
  await server?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe("the migration runner", () => {
  it("waits while another run holds the migration lock, then applies what is pending", async () => {
    const holder = await sql.reserve();
    await holder`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    const run = applyMigrations(server.url, { folder });
    let settled = false;
    void run.finally(() => {
      settled = true;
    });
    await vi.waitFor(
      async () => {
        const [waiting] = await sql`
          select count(*)::int as count from pg_locks where locktype = 'advisory' and not granted`;
        expect(waiting?.count).toBe(1);
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(settled).toBe(false);
    const [tables] =
      await sql`select count(*)::int as count from pg_tables where tablename like 'lock_test_%'`;
    expect(tables?.count).toBe(0);

    await holder`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    holder.release();
    expect(await run).toEqual(["001_first.sql", "002_second.sql"]);
  });

  it("lets two concurrent runs apply each migration once between them", async () => {
    await writeFile(join(folder, "003_third.sql"), "create table lock_test_third (id int);");
    const runs = await Promise.all([
      applyMigrations(server.url, { folder }),
      applyMigrations(server.url, { folder }),
    ]);
    expect(runs.flat()).toEqual(["003_third.sql"]);
  });
});
