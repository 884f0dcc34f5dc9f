import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { VERSION } from "../../../src/version";
import { repoRoot } from "../../helpers/processes";

it("reports the version package.json declares", () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
  expect(VERSION).toBe(manifest.version);
});
