/**
 * `npm run bench:bundle`: bundles the worker as `wrangler deploy` would (`--dry-run`) and prints each
 * file's size and gzip size against the 200 KiB gzip budget. Exits 1 when the bundle is over it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const GZIP_TARGET_BYTES = 200 * 1024;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface BundleFile {
  name: string;
  bytes: number;
  gzipBytes: number;
}

export interface WorkerBundle {
  files: BundleFile[];
  gzipBytes: number;
  /** What wrangler printed. */
  output: string;
}

/** Runs `wrangler deploy --dry-run --outdir <outdir>` and measures what it wrote. Throws when wrangler fails. */
export function bundleWorker(outdir: string, extraArgs: string[] = []): WorkerBundle {
  const result = spawnSync(
    join(root, "node_modules/.bin/wrangler"),
    ["deploy", "--dry-run", "--outdir", outdir, ...extraArgs],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, CI: "true", FORCE_COLOR: "0", WRANGLER_SEND_METRICS: "false" },
    },
  );
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed (${result.status}):\n${output}`);
  const files = listFiles(outdir)
    .filter((path) => /\.(m?js|wasm)$/.test(path))
    .map((path) => {
      const content = readFileSync(path);
      return {
        name: relative(outdir, path),
        bytes: content.length,
        gzipBytes: gzipSync(content, { level: 9 }).length,
      };
    });
  return { files, gzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0), output };
}

function listFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function report(label: string, extraArgs: string[]): boolean {
  const outdir = mkdtempSync(join(tmpdir(), "nexus-bundle-"));
  try {
    const bundle = bundleWorker(outdir, extraArgs);
    console.log(label);
    for (const file of bundle.files) {
      console.log(`  ${file.name.padEnd(22)} ${kib(file.bytes).padStart(12)}  gzip ${kib(file.gzipBytes)}`);
    }
    const within = bundle.gzipBytes <= GZIP_TARGET_BYTES;
    console.log(
      `  total gzip ${kib(bundle.gzipBytes)} — ${within ? "within" : "OVER"} the ${kib(GZIP_TARGET_BYTES)} target`,
    );
    return within;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const asDeployed = report("as `wrangler deploy` ships it (wrangler.toml settings):", []);
  report("with --minify, for comparison:", ["--minify"]);
  if (!asDeployed) process.exitCode = 1;
}
