/**
 * Start-up of our worker against the bare proxy: spawn of `workerd serve` → first 200 of
 * `GET /health`, fresh processes alternating between the two so machine noise hits both alike.
 * Target: ours ≤ 1.5× the baseline's (median).
 *
 *   npm run bench:startup [-- --times 9]
 */
import { parseArgs } from "node:util";
import { startStand } from "./lib/stand.ts";
import { measureStartup, startupRatio } from "./lib/startup.ts";
import { fixed, printTable } from "./lib/table.ts";

const { values } = parseArgs({ options: { times: { type: "string", default: "9" } } });
const times = Math.min(Math.max(1, Number(values.times)), 50);

const stand = await startStand({ replyWords: 150 });
try {
  const figures = await measureStartup(stand, times);
  printTable(
    ["worker", "gzip KiB", "start-up ms (median)", "fastest"],
    figures.rows.map((row) => [
      row.name,
      fixed(row.gzipBytes / 1024, 1),
      fixed(row.startupMs, 0),
      fixed(row.fastestMs, 0),
    ]),
    `Start-up: spawn of workerd serve → first 200 of GET /health, ${times} fresh processes each, alternating`,
  );
  const ratio = startupRatio(figures);
  console.log(
    `target: start-up ≤ 1.5× the bare proxy's: ${ratio.toFixed(2)}× → ${ratio <= 1.5 ? "met" : "NOT met"}`,
  );
} finally {
  await stand.stop();
}
