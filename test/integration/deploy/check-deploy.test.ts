import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { binDir, repoRoot } from "../../helpers/processes";

const scratch = mkdtempSync(join(tmpdir(), "nexus-check-deploy-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the check `npm run deploy` starts with, on `wrangler.toml` changed by `edit`. */
function checkDeploy(edit: (toml: string) => string = (toml) => toml) {
  const config = join(scratch, `wrangler-${Math.random().toString(36).slice(2)}.toml`);
  const committed = readFileSync(join(repoRoot, "wrangler.toml"), "utf8")
    .replace('main = "src/index.ts"', `main = "${join(repoRoot, "src/index.ts")}"`)
    .replace('directory = "./public"', `directory = "${join(repoRoot, "public")}"`);
  writeFileSync(config, edit(committed));
  return spawnSync(join(binDir, "node"), [join(repoRoot, "scripts/check-deploy.ts"), "--config", config], {
    cwd: repoRoot,
    encoding: "utf8",
  });
}

describe("npm run deploy", () => {
  it("checks the deploy configuration before wrangler deploy", () => {
    const scripts = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).scripts;
    expect(scripts.deploy).toMatch(/^node scripts\/check-deploy\.ts && wrangler deploy/);
  });

  it("accepts the committed wrangler.toml", () => {
    const run = checkDeploy();
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("refuses a configuration that switches on the demo provider, in [vars] or in an environment", () => {
    const demo = 'DEMO_PROVIDER_URL = "http://127.0.0.1:9/v1"';
    const inVars = checkDeploy((toml) => toml.replace("[vars]\n", `[vars]\n${demo}\n`));
    expect(inVars.status).toBe(1);
    expect(inVars.stderr).toContain("Refusing to deploy");
    expect(inVars.stderr).toContain("DEMO_PROVIDER_URL in [vars]");
    const inEnvironment = checkDeploy((toml) => `${toml}\n[env.staging.vars]\n${demo}\n`);
    expect(inEnvironment.status).toBe(1);
    expect(inEnvironment.stderr).toContain("DEMO_PROVIDER_URL in [env.staging.vars]");
  });
});
