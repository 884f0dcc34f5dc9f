/**
 * Reads V8's `--trace-gc-nvp` lines (one per collection, `name=value` pairs) from a process's
 * output: collections, their main-thread pause and the bytes young collections promoted to the old
 * generation (what later full collections have to mark and sweep).
 */
export interface GcTally {
  /** Young-generation collections (scavenges). */
  minor: number;
  /** Full collections (mark-compact). */
  major: number;
  /** Main-thread pause of all of them, ms. */
  pauseMs: number;
  /** The share of `pauseMs` spent in full collections. */
  majorPauseMs: number;
  /** Bytes the young collections moved to the old generation. */
  promotedBytes: number;
  /** Bytes the young collections copied within the young generation (live objects they kept). */
  survivedBytes: number;
}

export const GC_TRACE_FLAGS = ["--trace-gc-nvp"];

/** A tally of nothing, to start a sum from. */
export const emptyGcTally = (): GcTally => ({
  minor: 0,
  major: 0,
  pauseMs: 0,
  majorPauseMs: 0,
  promotedBytes: 0,
  survivedBytes: 0,
});

/**
 * Collects trace text as it arrives; `take()` returns the tally since the last `take()`. With
 * `GC_TRACE_ECHO=1` in the environment each line is also printed, after `label`.
 */
export function gcTracer(label = "gc"): { feed(text: string): void; take(): GcTally } {
  let pending = "";
  let tally = emptyGcTally();
  return {
    feed(text) {
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (process.env.GC_TRACE_ECHO) console.log(`${label} ${line}`);
        // `name=value` pairs in older V8s, one JSON object after "GC: " in newer ones
        const field = (name: string) => new RegExp(`[\\s{,"]${name}"?[=:]"?([\\w.-]+)`).exec(line)?.[1];
        const kind = field("gc");
        if (!kind || field("pause") === undefined) continue;
        const pause = Number(field("pause") ?? 0);
        if (kind === "s" || kind === "mmc" || kind === "minor-ms") tally.minor++;
        else {
          tally.major++;
          tally.majorPauseMs += pause;
        }
        tally.pauseMs += pause;
        tally.promotedBytes += Number(field("promoted") ?? 0);
        tally.survivedBytes += Number(field("new_space_survived") ?? 0);
      }
    },
    take() {
      const taken = tally;
      tally = emptyGcTally();
      return taken;
    },
  };
}

/** Two tallies added field by field. */
export function addGcTallies(a: GcTally, b: GcTally): GcTally {
  return {
    minor: a.minor + b.minor,
    major: a.major + b.major,
    pauseMs: a.pauseMs + b.pauseMs,
    majorPauseMs: a.majorPauseMs + b.majorPauseMs,
    promotedBytes: a.promotedBytes + b.promotedBytes,
    survivedBytes: a.survivedBytes + b.survivedBytes,
  };
}
