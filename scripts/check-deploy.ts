/**
 * `npm run deploy` runs this first: it refuses a deploy configuration (wrangler.toml, every
 * environment in it) that sets a local-only setting. The demo provider's canned replies must never
 * answer in production; the worker also accepts DEMO_PROVIDER_URL only on loopback.
 *
 * Usage: node scripts/check-deploy.ts [--config wrangler.toml]
 */
import { experimental_readRawConfig } from "wrangler";

/** Settings that exist for `npm run dev` only. */
const LOCAL_ONLY = ["DEMO_PROVIDER_URL"];

const configFlag = process.argv.indexOf("--config");
const config = configFlag > 0 ? process.argv[configFlag + 1] : undefined;
const { rawConfig, configPath } = experimental_readRawConfig({ config });

type Vars = Record<string, unknown> | undefined;
const environments = (rawConfig.env ?? {}) as Record<string, { vars?: Vars } | undefined>;
const sections: Array<[string, Vars]> = [
  ["[vars]", rawConfig.vars as Vars],
  ...Object.entries(environments).map(([name, environment]): [string, Vars] => [
    `[env.${name}.vars]`,
    environment?.vars,
  ]),
];
const offending = sections.flatMap(([section, vars]) =>
  LOCAL_ONLY.filter((name) => vars && name in vars).map((name) => `${name} in ${section}`),
);
if (offending.length > 0) {
  console.error(
    `Refusing to deploy ${configPath ?? "the worker"}: ${offending.join(", ")} is for npm run dev only ` +
      "(the demo provider answers with canned replies). Remove it, then deploy again.",
  );
  process.exit(1);
}
