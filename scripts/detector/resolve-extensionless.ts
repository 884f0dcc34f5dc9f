import { existsSync } from "node:fs";
import { registerHooks } from "node:module";

/**
 * Lets plain node run the worker sources, which import siblings without an extension
 * (`./tokenize`) and JSON without an import attribute, as the bundler allows.
 */
export function registerExtensionlessResolution(): void {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const isRelative = specifier.startsWith("./") || specifier.startsWith("../");
      if (isRelative && context.parentURL && !/\.[cm]?[jt]s$|\.json$/.test(specifier)) {
        const candidate = new URL(`${specifier}.ts`, context.parentURL);
        if (existsSync(candidate)) return nextResolve(`${specifier}.ts`, context);
      }
      if (specifier.endsWith(".json")) {
        return { ...nextResolve(specifier, context), importAttributes: { type: "json" } };
      }
      return nextResolve(specifier, context);
    },
  });
}
