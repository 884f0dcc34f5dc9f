/**
 * The demo page's usage view: for the key in use, the cost and tokens of each of the last 14 UTC
 * days as bars, and per model how its answers' human-likeness scores fall across ten buckets —
 * from `GET /usage`. Refreshed on load and after each reply.
 */
import type { NexusClient, UsageReport } from "../src/client";
import { dayOf, daysBetween } from "../src/usage/periods";

const DAYS = 14;
type Row = UsageReport["rows"][number];

export interface UsageView {
  refresh(): Promise<void>;
}

export function mountUsageView(section: HTMLElement, client: () => NexusClient): UsageView {
  const status = section.querySelector<HTMLElement>(".usage-status") as HTMLElement;
  const days = section.querySelector<HTMLElement>("#usage-days") as HTMLElement;
  const models = section.querySelector<HTMLElement>("#usage-models") as HTMLElement;
  const totals = section.querySelector<HTMLElement>("#usage-totals") as HTMLElement;

  const refresh = async () => {
    const to = dayOf(Date.now());
    const from = dayOf(Date.parse(to) - (DAYS - 1) * 86_400_000);
    try {
      const report = await client().usage({ from, to });
      section.dataset.state = "ready";
      status.textContent = `${from} – ${to} (UTC)`;
      totals.textContent =
        `${report.totals.requests} requests · ${report.totals.promptTokens + report.totals.completionTokens} tokens · ` +
        `$${report.totals.costUsd.toFixed(6)}`;
      days.replaceChildren(...dayBars(report.rows, from, to));
      models.replaceChildren(...scoreCharts(report.rows));
    } catch (error) {
      section.dataset.state = "error";
      status.textContent = `usage unavailable: ${error instanceof Error ? error.message : String(error)}`;
    }
  };
  return { refresh };
}

/** One column per day: a cost bar and a tokens bar, each scaled to the range's largest. */
function dayBars(rows: Row[], from: string, to: string): HTMLElement[] {
  const byDay = new Map(daysBetween(from, to).map((day) => [day, { cost: 0, tokens: 0 }]));
  for (const row of rows) {
    const day = byDay.get(row.day);
    if (!day) continue;
    day.cost += row.costUsd;
    day.tokens += row.promptTokens + row.completionTokens;
  }
  const maxCost = Math.max(...[...byDay.values()].map((day) => day.cost), Number.MIN_VALUE);
  const maxTokens = Math.max(...[...byDay.values()].map((day) => day.tokens), 1);
  return [...byDay.entries()].map(([day, { cost, tokens }]) => {
    const column = document.createElement("li");
    column.className = "day";
    Object.assign(column.dataset, { day, cost: String(cost), tokens: String(tokens) });
    column.title = `${day}: $${cost.toFixed(6)}, ${tokens} tokens`;
    column.append(bar("cost", cost / maxCost), bar("tokens", tokens / maxTokens));
    column.append(Object.assign(document.createElement("small"), { textContent: day.slice(5) }));
    return column;
  });
}

/** Per model, the count of scored answers in each tenth of the human-likeness scale. */
function scoreCharts(rows: Row[]): HTMLElement[] {
  const byModel = new Map<string, number[]>();
  for (const row of rows) {
    const histogram = byModel.get(row.model) ?? new Array<number>(10).fill(0);
    row.scoreHistogram.forEach((count, bucket) => {
      histogram[bucket] = (histogram[bucket] ?? 0) + count;
    });
    byModel.set(row.model, histogram);
  }
  return [...byModel.entries()].map(([model, histogram]) => {
    const figure = document.createElement("figure");
    figure.className = "model-scores";
    figure.dataset.model = model;
    const most = Math.max(...histogram, 1);
    const buckets = figure.appendChild(document.createElement("ol"));
    histogram.forEach((count, bucket) => {
      const item = buckets.appendChild(document.createElement("li"));
      item.className = "bucket";
      item.dataset.count = String(count);
      item.title = `${bucket * 10}–${bucket * 10 + 10}: ${count} answers`;
      item.append(bar("score", count / most));
    });
    const caption = figure.appendChild(document.createElement("figcaption"));
    caption.textContent = `${model} · human-likeness 0 → 100`;
    return figure;
  });
}

function bar(kind: string, fraction: number): HTMLElement {
  const element = document.createElement("span");
  element.className = `bar ${kind}`;
  element.style.setProperty("--fill", String(Math.max(0, Math.min(1, fraction))));
  return element;
}
