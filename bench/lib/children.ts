import type { ChildProcess } from "node:child_process";

const running = new Map<ChildProcess, boolean>();
let hooked = false;

/**
 * Kills `child` (its whole process group when `group`) if the benchmark exits first, e.g. on its
 * deadline or Ctrl-C, so that no workerd or upstream process outlives a run.
 */
export function killOnExit(child: ChildProcess, group = false): void {
  running.set(child, group);
  child.once("exit", () => running.delete(child));
  if (hooked) return;
  hooked = true;
  process.once("exit", () => {
    for (const [runningChild, wholeGroup] of running) {
      try {
        if (wholeGroup && runningChild.pid) process.kill(-runningChild.pid, "SIGTERM");
        else runningChild.kill("SIGTERM");
      } catch {
        // already gone
      }
    }
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
}
