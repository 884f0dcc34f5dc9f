import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

/** The store `npm run dev` and `npm run vector:server` start. */
export const LOCAL_VECTOR_DATABASE_URL = "postgres://postgres:postgres@127.0.0.1:5433/postgres";

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "..", "migrations");

/**
 * Applies migrations/*.sql not applied yet, in name order, each in a transaction, recording each in
 * `nn_migrations`; answers the names it applied (none when the database is up to date).
 *
 * @example
 * await applyMigrations("postgres://postgres:postgres@127.0.0.1:5433/postgres"); // ["001_vectors.sql"]
 */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  const folder = migrationsFolder;
  const sql = postgres(connectionString, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
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
    return pending;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
