import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker, type WorkerBundle } from "../../../bench/bundle-size";

const FREE_PLAN_LIMIT_BYTES = 3 * 1024 * 1024;

const outdir = mkdtempSync(join(tmpdir(), "nexus-deploy-"));
let bundle: WorkerBundle;

beforeAll(() => {
  bundle = bundleWorker(outdir);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("wrangler deploy --dry-run", () => {
  it("bundles the worker into one module", () => {
    expect(bundle.files.map((file) => file.name)).toContain("index.js");
    expect(bundle.output).not.toMatch(/✘|\[ERROR\]/);
  });

  it("fits the Workers free plan's 3 MiB compressed size limit", () => {
    // The 150 KiB target is tracked by `npm run bench:bundle`; this is the limit a deploy fails at.
    expect(bundle.gzipBytes).toBeGreaterThan(0);
    expect(bundle.gzipBytes).toBeLessThan(FREE_PLAN_LIMIT_BYTES);
  });

  it("ships the docs page as HTML that loads its UI from a CDN, and no browser-only client code", () => {
    const code = readFileSync(join(outdir, "index.js"), "utf8");
    expect(code).toContain("swagger-ui-dist");
    expect(code).not.toContain("ReconnectingWebSocket");
  });
});
