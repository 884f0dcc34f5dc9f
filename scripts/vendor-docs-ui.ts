/**
 * Runs after `npm install` (postinstall; also `npm run vendor:docs`): copies Swagger UI's browser
 * files from the `swagger-ui-dist` package into `public/vendor/` (git-ignored), where Workers static
 * assets serve them to `/docs` — so the API reference works offline (docker compose, tests) and
 * loads nothing from a CDN. A unit test fails while the copies differ from the installed package.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const DOCS_UI_FILES = ["swagger-ui-bundle.js", "swagger-ui.css"] as const;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const packageDir = join(root, "node_modules", "swagger-ui-dist");
export const vendorDir = join(root, "public", "vendor", "swagger-ui-dist");

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(vendorDir, { recursive: true });
  for (const file of DOCS_UI_FILES) copyFileSync(join(packageDir, file), join(vendorDir, file));
  console.log(`Copied ${DOCS_UI_FILES.join(", ")} to public/vendor/swagger-ui-dist/`);
}
