/**
 * `npm run db:migrate`: applies migrations/*.sql, in name order, to the vector database. Each file runs
 * once, in a transaction, and is recorded in `nn_migrations`; running it again changes nothing.
 *
 * The database: `--database-url postgres://…`, else `VECTOR_DATABASE_URL`, else the local store that
 * `npm run dev` and `npm run vector:server` start (postgres://postgres:postgres@127.0.0.1:5433/postgres).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import postgres from "postgres";

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "migrations");
export const LOCAL_VECTOR_DATABASE_URL = "postgres://postgres:postgres@127.0.0.1:5433/postgres";

/** Applies the migrations not yet applied; answers the names it applied. */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  const sql = postgres(connectionString, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql`create table if not exists nn_migrations (
      name text primary key, applied_at timestamptz not null default now())`;
    const done = new Set((await sql`select name from nn_migrations`).map((row) => String(row.name)));
    const pending = readdirSync(migrationsDir)
      .filter((name) => name.endsWith(".sql") && !done.has(name))
      .sort();
    for (const name of pending) {
      const text = readFileSync(join(migrationsDir, name), "utf8");
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { "database-url": { type: "string" } } });
  const url = values["database-url"] ?? process.env.VECTOR_DATABASE_URL ?? LOCAL_VECTOR_DATABASE_URL;
  const applied = await applyMigrations(url);
  console.log(
    applied.length ? `Applied ${applied.join(", ")}.` : "Nothing to apply: the database is up to date.",
  );
}
