import { ourVars, type Stand } from "./stand.ts";
import { median } from "./stats.ts";
import { PROMPT } from "./targets.ts";
import { type BuiltWorker, type ServedWorker, serveWorker } from "./workerd.ts";

export interface StartupFigures {
  rows: {
    name: "baseline" | "ours";
    bytes: number;
    gzipBytes: number;
    startupMs: number;
    fastestMs: number;
  }[];
}

/**
 * Bundle sizes and start-up of both workers: the median, over `times` fresh `workerd serve`
 * processes each, of the time from spawn to the first 200 of `GET /health`. The two workers
 * alternate, so machine noise hits both alike.
 */
export async function measureStartup(stand: Stand, times: number): Promise<StartupFigures> {
  const plans = [
    {
      name: "baseline" as const,
      built: stand.builds.baseline,
      vars: { UPSTREAM_BASE_URL: stand.upstream.groqBaseUrl },
    },
    { name: "ours" as const, built: stand.builds.ours, vars: ourVars(stand.upstream) },
  ];
  const samples = plans.map((): number[] => []);
  for (let round = 0; round < times; round++) {
    for (const [index, plan] of plans.entries()) {
      const served = await serveWorker(plan.built, { vars: plan.vars, configName: "startup.capnp" });
      samples[index]?.push(served.startupMs);
      await served.stop();
    }
  }
  return {
    rows: plans.map((plan, index) => {
      const list = samples[index] ?? [];
      return {
        name: plan.name,
        bytes: plan.built.bytes,
        gzipBytes: plan.built.gzipBytes,
        startupMs: median(list),
        fastestMs: Math.min(...list),
      };
    }),
  };
}

/** Ours ÷ the baseline, median start-up; the target is ≤ 1.5. */
export function startupRatio(figures: StartupFigures): number {
  const of = (name: "baseline" | "ours") =>
    figures.rows.find((row) => row.name === name)?.startupMs ?? Number.NaN;
  return of("ours") / of("baseline");
}

/** The first request a fresh worker serves: `GET /health`, or a `POST /chat` as a user would send it. */
export const FIRST_REQUESTS = {
  "GET /health": { path: "/health", init: {} },
  "POST /chat": {
    path: "/chat",
    init: {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: PROMPT }),
    },
  },
} satisfies Record<string, { path: string; init: RequestInit }>;

export type FirstRequest = keyof typeof FIRST_REQUESTS;

export interface ColdStartRow {
  name: string;
  request: FirstRequest;
  /** Spawn of `workerd serve` → its socket listening (module loaded and evaluated), median ms. */
  loadMs: number;
  /** The first request alone, sent once the socket listens, median ms. */
  firstRequestMs: number;
  /** Spawn → the first request's 200, median ms. */
  totalMs: number;
  /** The same, the fastest process: the nearest to an idle machine. */
  fastestMs: number;
  /**
   * CPU time (all threads) the workerd process used from spawn to the first request's 200, median
   * ms: what a busy machine changes least, since waiting for a core is not counted.
   */
  cpuMs: number;
}

/** A built worker to cold-start, with the text bindings it is served with. */
export interface ColdStartPlan {
  name: string;
  built: BuiltWorker;
  vars: Record<string, string>;
}

/** The stand's two workers as cold-start plans: the bare proxy first, then ours. */
export function standPlans(stand: Stand): ColdStartPlan[] {
  return [
    {
      name: "baseline",
      built: stand.builds.baseline,
      vars: { UPSTREAM_BASE_URL: stand.upstream.groqBaseUrl },
    },
    { name: "ours", built: stand.builds.ours, vars: ourVars(stand.upstream) },
  ];
}

/**
 * Cold starts of some workers, split into module load (spawn → listening) and the first request,
 * for each first request in {@link FIRST_REQUESTS}: `times` fresh processes per worker and request,
 * all alternating, so machine noise hits every cell alike.
 */
export async function measureColdStarts(
  plans: readonly ColdStartPlan[],
  times: number,
): Promise<ColdStartRow[]> {
  const requests = Object.keys(FIRST_REQUESTS) as FirstRequest[];
  const cells = plans.flatMap((plan) =>
    requests.map((request) => ({ plan, request, samples: [] as (ServedWorker & { cpu: number })[] })),
  );
  for (let round = 0; round < times; round++) {
    for (const cell of cells) {
      const { path, init } = FIRST_REQUESTS[cell.request];
      const served = await serveWorker(cell.plan.built, {
        vars: cell.plan.vars,
        configName: "startup.capnp",
        healthPath: path,
        healthRequest: init,
      });
      cell.samples.push({ ...served, cpu: await served.cpuMs() });
      await served.stop();
    }
  }
  return cells.map(({ plan, request, samples }) => ({
    name: plan.name,
    request,
    loadMs: median(samples.map((served) => served.listenMs)),
    firstRequestMs: median(samples.map((served) => served.firstRequestMs)),
    totalMs: median(samples.map((served) => served.startupMs)),
    fastestMs: Math.min(...samples.map((served) => served.startupMs)),
    cpuMs: median(samples.map((served) => served.cpu)),
  }));
}
