import { copyFileSync, existsSync, readFileSync, watch } from "node:fs";
import { basename, dirname, join } from "node:path";

/** `.dev.vars` (or the file at `path`) as `KEY=value` pairs; created from `.dev.vars.example` on first run. */
export function readDevVars(root: string, path = join(root, ".dev.vars")): Record<string, string> {
  if (!existsSync(path)) {
    copyFileSync(join(root, ".dev.vars.example"), path);
    console.log(`Created ${basename(path)} from .dev.vars.example — put your keys there.`);
  }
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1]) vars[match[1]] = (match[2] ?? "").replace(/^["']|["']$/g, "");
  }
  return vars;
}

/** The names whose values differ between two readings of `.dev.vars`. */
export function changedVars(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}

/**
 * Calls `onChange` with the new variables whenever the file at `path` is saved with different values
 * (watching its folder, so editors that save by renaming are seen too).
 */
export function watchDevVars(
  root: string,
  path: string,
  initial: Record<string, string>,
  onChange: (vars: Record<string, string>, changed: string[]) => void,
): () => void {
  let current = initial;
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dirname(path), (_event, file) => {
    if (file !== basename(path)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!existsSync(path)) return;
      const next = readDevVars(root, path);
      const changed = changedVars(current, next);
      current = next;
      if (changed.length > 0) onChange(next, changed);
    }, 300);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
