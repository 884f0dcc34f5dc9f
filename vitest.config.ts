import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: { bindings: { AUTH_DISABLED: "true" } },
          }),
        ],
        test: {
          name: "worker",
          // Middleware tests sit beside their middleware, as Hono's own do.
          include: ["test/worker/**/*.test.ts", "src/**/*.test.ts"],
          globalSetup: ["test/helpers/fake-upstreams-setup.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
