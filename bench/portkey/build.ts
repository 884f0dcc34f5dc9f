import { readFile, stat } from "node:fs/promises";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import { type BuiltWorker, REPO_ROOT } from "../lib/workerd.ts";

const PACKAGE_DIR = join(REPO_ROOT, "node_modules/@portkey-ai/gateway");
const NODE_BUILD = join(PACKAGE_DIR, "build/start-server.js");

/** The compatibility of our worker and the bare proxy, with Portkey's own flag (`nodejs_compat`). */
const COMPATIBILITY_DATE = "2026-08-01";
const COMPATIBILITY_FLAGS = ["nodejs_compat"];

/**
 * Portkey's open-source gateway (`@portkey-ai/gateway`) as a worker bundle for `workerd serve`.
 *
 * The package ships one file, its Node build: the Hono app of Portkey's `src/index.ts` followed by
 * a Node server start (`@hono/node-server`, a console spinner, the log UI). This keeps the app,
 * drops the server start and exports the app as the worker's default, which is what Portkey's own
 * `wrangler deploy src/index.ts` serves. Under workerd `getRuntimeKey()` is "workerd", so the app
 * takes its worker branches: no Redis cache backends and no log-streaming middleware (both Node
 * only). The packages only that Node code uses are replaced by modules that throw if called.
 *
 * @example
 * const built = await buildPortkey(join(workdir, "portkey"));
 * const served = await serveWorker(built, { vars: {}, healthPath: "/" });
 */
export async function buildPortkey(outdir: string): Promise<BuiltWorker> {
  const { version } = JSON.parse(await readFile(join(PACKAGE_DIR, "package.json"), "utf8")) as {
    version: string;
  };
  const contents = workerModule(await readFile(NODE_BUILD, "utf8"), version);
  const outfile = join(outdir, "index.js");
  await build({
    stdin: { contents, resolveDir: dirname(NODE_BUILD), sourcefile: "start-server.js", loader: "js" },
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    target: "es2022",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
    outfile,
    plugins: [nodeBuiltinsExternal, nodeOnlyPackages],
  });
  const content = await readFile(outfile);
  return {
    outdir,
    modules: [{ name: "index.js", kind: "esModule" }],
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    bytes: (await stat(outfile)).size,
    gzipBytes: gzipSync(content, { level: 9 }).length,
  };
}

/**
 * The Node build up to its server start, with the app exported. Fails loudly when the build does
 * not have the shape this expects (another major version of the package).
 */
export function workerModule(nodeBuild: string, version: string): string {
  const serverStart = /const [\w$]+=process\.argv\.slice\(2\)/.exec(nodeBuild);
  const app = /\(\{fetch:([\w$]+)\.fetch,port:/.exec(nodeBuild.slice(serverStart?.index ?? 0))?.[1];
  if (!serverStart || !app)
    throw new Error(
      `@portkey-ai/gateway ${version}: its Node build has no recognisable server start ` +
        "(`process.argv` then `serve({fetch: app.fetch, port})`); the bench knows 1.15.x",
    );
  return `${nodeBuild.slice(0, serverStart.index)}\nexport default ${app};\n`;
}

/** `fs`, `node:fs` and the like stay imports, answered by workerd's `nodejs_compat`. */
const nodeBuiltinsExternal: Plugin = {
  name: "node-builtins-external",
  setup(builder) {
    const names = builtinModules.filter((name) => !name.startsWith("_")).map(escapeRegExp);
    const filter = new RegExp(`^(node:)?(${names.join("|")})$`);
    builder.onResolve({ filter }, ({ path }) => ({
      path: path.startsWith("node:") ? path : `node:${path}`,
      external: true,
    }));
  },
};

/**
 * What only the Node server uses: its HTTP server and WebSocket upgrade, `ws` for realtime over
 * Node, `ioredis` for its Redis cache backends and `avsc` for a fine-tuning data set decoder.
 */
const NODE_ONLY: Record<string, string> = {
  "@hono/node-server": "export const serve = unavailable;",
  "@hono/node-ws": "export const createNodeWebSocket = unavailable;",
  ws: "export default unavailable;",
  ioredis: "export default unavailable;",
  avsc: "export default unavailable;",
};

const nodeOnlyPackages: Plugin = {
  name: "node-only-packages",
  setup(builder) {
    const filter = new RegExp(`^(${Object.keys(NODE_ONLY).map(escapeRegExp).join("|")})$`);
    builder.onResolve({ filter }, ({ path }) => ({ path, namespace: "node-only" }));
    builder.onLoad({ filter: /.*/, namespace: "node-only" }, ({ path }) => ({
      contents:
        `function unavailable() { throw new Error(${JSON.stringify(`${path} is not in the worker build`)}); }\n` +
        NODE_ONLY[path],
      loader: "js",
    }));
  },
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
