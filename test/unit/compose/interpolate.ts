/**
 * Docker Compose variable interpolation, as `docker compose config` applies it: `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}` and `$$` for a literal `$`.
 * Applied to every string of a parsed compose document.
 */
export function interpolate<T>(document: T, env: Record<string, string | undefined>): T {
  return walk(document, env) as T;
}

const VARIABLE =
  /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

function walk(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === "string") return substitute(value, env);
  if (Array.isArray(value)) return value.map((item) => walk(item, env));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, env)]));
  }
  return value;
}

function substitute(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    VARIABLE,
    (whole, braced?: string, colon?: string, operator?: string, operand?: string, bare?: string) => {
      if (whole === "$$") return "$";
      const name = (braced ?? bare) as string;
      const value = env[name];
      const missing = colon === ":" ? value === undefined || value === "" : value === undefined;
      if (operator === "-") return missing ? substitute(operand ?? "", env) : (value as string);
      if (operator === "?" && missing) throw new Error(`${name}: ${operand || "required"}`);
      return value ?? "";
    },
  );
}
