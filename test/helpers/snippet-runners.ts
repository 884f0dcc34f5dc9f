import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { binDir, repoRoot } from "./processes";
import { literalAfter, shapeOf } from "./readme-snippets";

/** Where the README's examples run: the dev stack's real addresses replace the README's. */
export interface SnippetTarget {
  apiUrl: string;
  roomsUrl: string;
}

export interface SnippetRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const scratch = join(repoRoot, "node_modules", ".cache", "readme-snippets");

/** The README's addresses (`npm run dev`'s ports, a deployed worker) pointed at `target`. */
export function localize(code: string, target: SnippetTarget): string {
  return code
    .replaceAll("https://<your-worker>", target.apiUrl)
    .replaceAll("http://127.0.0.1:8000", target.apiUrl)
    .replaceAll("http://127.0.0.1:8001", target.roomsUrl);
}

/** Runs a shell block with bash, the project's tools first on PATH, as a reader would in the repository. */
export function runShell(code: string, target: SnippetTarget, untilOutput = false): Promise<SnippetRun> {
  return runProcess("bash", ["-e", "-o", "pipefail", "-c", localize(code, target)], target, untilOutput);
}

/** Bundles a TypeScript block (its packages from node_modules) and runs it with node. */
export async function runNode(code: string, target: SnippetTarget, name: string, untilOutput = false) {
  mkdirSync(scratch, { recursive: true });
  const source = join(scratch, `${name}.ts`);
  const output = join(scratch, `${name}.mjs`);
  writeFileSync(source, localize(code, target));
  await build({
    entryPoints: [source],
    outfile: output,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: "external",
    logLevel: "silent",
  });
  return runProcess(join(binDir, "node"), [output], target, untilOutput);
}

function runProcess(
  command: string,
  args: string[],
  target: SnippetTarget,
  untilOutput: boolean,
): Promise<SnippetRun> {
  return new Promise((resolve, reject) => {
    // A newcomer's shell: no key of ours set, the project's tools first on PATH.
    const { NEON_NEXUS_KEY: _key, NEXUS_API_KEY: _apiKey, ...env } = process.env;
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: { ...env, PATH: `${binDir}:${env.PATH ?? ""}`, NEXUS_URL: target.apiUrl, FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (untilOutput && stdout.includes("\n")) child.kill("SIGTERM");
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code: untilOutput && stdout.includes("\n") ? 0 : code, stdout, stderr }),
    );
  });
}

/** What is wrong with a sample output block, compared with the output of the block it illustrates. */
export function outputProblems(sample: string, actual: string, same: readonly string[]): string[] {
  const problems = shapeOf(sample)
    .filter((token) => !actual.includes(token))
    .map((token) => `the sample shows ${token} but the real output has none`);
  for (const key of same) {
    const [shown, real] = [literalAfter(sample, key), literalAfter(actual, key)];
    if (shown !== real) problems.push(`the sample's "${key}" is ${shown}, the real one ${real}`);
  }
  return problems;
}

/** The paths of a layout listing (the first column, `a/, b/` naming two) that do not exist. */
export function missingPaths(listing: string): string[] {
  return listing
    .split("\n")
    .map((line) => line.trim().split(/\s{2,}/)[0] ?? "")
    .flatMap((first) => first.split(/,\s*/))
    .filter((path) => path !== "" && !existsSync(join(repoRoot, path)));
}

/**
 * Applies `source` blocks to a scratch copy of `src/` — a block whose first line names a new file
 * becomes that file; one naming an existing file puts its `import` lines on top and replaces the
 * declaration each other line starts — then loads the configuration from that copy, and answers
 * the variables it reads.
 */
export async function configWithSources(blocks: readonly string[]): Promise<string[]> {
  const tree = join(scratch, "tree");
  rmSync(tree, { recursive: true, force: true });
  cpSync(join(repoRoot, "src"), join(tree, "src"), { recursive: true });
  for (const block of blocks) {
    const [first = "", ...lines] = block.split("\n");
    const path = /^\/\/\s*(src\/\S+)$/.exec(first.trim())?.[1];
    if (!path) throw new Error(`a source block must start with "// src/…": ${first}`);
    const file = join(tree, path);
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, block);
      continue;
    }
    let text = readFileSync(file, "utf8");
    for (const line of lines.filter((entry) => entry.trim() !== "")) {
      if (line.startsWith("import ")) {
        text = `${line}\n${text}`;
        continue;
      }
      const declaration = /^((?:export )?(?:const|let|function|type) \w+)/.exec(line)?.[1];
      const existing = declaration && text.split("\n").find((entry) => entry.startsWith(declaration));
      if (!existing) throw new Error(`${path} has no line starting like "${line}"`);
      text = text.replace(existing, line);
    }
    writeFileSync(file, text);
  }
  const bundle = join(scratch, "config-with-sources.mjs");
  await build({
    entryPoints: [join(tree, "src", "config.ts")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    logLevel: "silent",
  });
  const config = (await import(`${pathToFileURL(bundle).href}?${Date.now()}`)) as {
    envVariableNames(): string[];
  };
  return config.envVariableNames();
}
