import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DOCS_UI_FILES, packageDir, vendorDir } from "../../../scripts/vendor-docs-ui.ts";

describe("the Swagger UI files served for /docs", () => {
  it.each(DOCS_UI_FILES)(
    "%s is the installed swagger-ui-dist's (npm install copies it; npm run vendor:docs does it again)",
    (file) => {
      const served = readFileSync(join(vendorDir, file));
      const installed = readFileSync(join(packageDir, file));
      expect(served.length).toBeGreaterThan(1000);
      expect(served.equals(installed)).toBe(true);
    },
  );
});
