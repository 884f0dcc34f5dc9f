import { GATEWAY_PLANS, runGatewayBench } from "./gateway.ts";
import { runStreamBench, STREAM_PLANS } from "./stream.ts";

/** The gateway suite: load, latency, CPU, bundle and start-up, then streaming. `--quick` for a short run. */
const mode = process.argv.includes("--quick") ? "quick" : "full";
const started = performance.now();
await runGatewayBench(GATEWAY_PLANS[mode]);
await runStreamBench(STREAM_PLANS[mode]);
console.log(`\n${mode} suite finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
