import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

/** The store `npm run dev` and `npm run vector:server` start. */
export const LOCAL_VECTOR_DATABASE_URL = "postgres://postgres:postgres@127.0.0.1:5433/postgres";

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "..", "migrations");

/**
 * The advisory lock every migration run holds from start to end, so two runs (two deploys) never
 * interleave: the second waits, then finds the migrations applied.
 */
export const MIGRATION_LOCK_KEY = 7_346_812_290;

/**
 * Applies migrations/*.sql not applied yet, in name order, each in a transaction, recording each in
 * `nn_migrations`; answers the names it applied (none when the database is up to date). Holds
 * {@link MIGRATION_LOCK_KEY} (a session advisory lock) while it reads and applies.
 *
 * @example
 * await applyMigrations("postgres://postgres:postgres@127.0.0.1:5433/postgres"); // ["001_vectors.sql"]
 */
export async function applyMigrations(
  connectionString: string,
  { folder = migrationsFolder }: { folder?: string } = {},
): Promise<string[]> {
  // One connection: the lock, the reads and the transactions all belong to the same session.
  const sql = postgres(connectionString, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await sql`create table if not exists nn_migrations (
      name text primary key, applied_at timestamptz not null default now())`;
    const done = new Set((await sql`select name from nn_migrations`).map((row) => String(row.name)));
    const pending = readdirSync(folder)
      .filter((name) => name.endsWith(".sql") && !done.has(name))
      .sort();
    for (const name of pending) {
      const text = readFileSync(join(folder, name), "utf8");
      await sql.begin(async (tx) => {
        await tx.unsafe(text);
        await tx`insert into nn_migrations (name) values (${name}) on conflict do nothing`;
      });
    }
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    return pending;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
