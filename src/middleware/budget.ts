import type { MiddlewareHandler } from "hono";
import { ApiError, errorName } from "../lib/errors";
import type { AppEnv } from "../types";

/** What a spending route spends: a provider's tokens, the Neo analyzer's calls, or the embedder's tokens. */
export type Spending = "chat" | "analysis" | "embedding";

/**
 * Checks the caller's budget (any key kind: ordinary or admin) before a spending route calls out:
 * over a cap — or with the request's worst case (its prompt plus its whole token allowance at the
 * dearest candidate model's price) passing it — the answer is 429 `budget_exceeded` with
 * `Retry-After` until the period resets. Keys without a budget pass after one store read; a store
 * that is down lets the request through (logged), as the rate limit does.
 *
 * @example
 * defineRoute({ method: "post", path: "/chat", spends: "chat", … }) // `register` adds the check
 */
export function budgetCheck(spending: Spending): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const services = c.get("services");
    const key = c.get("facts").keyName;
    if (!key || (spending === "analysis" && !services.config.neo)) return next();
    if (spending === "embedding" && !services.embedder) return next();
    const valid = c.req.valid.bind(c.req) as (
      target: "json" | "query",
    ) => Record<string, unknown> | undefined;
    const body = valid("json") ?? valid("query") ?? {};
    const embedder = services.embedder;
    const worstCase = () =>
      spending === "analysis"
        ? services.usage.worstCase([{ provider: "neo", model: "analyze" }], String(body.text ?? "").length, 0)
        : spending === "embedding" && embedder
          ? services.usage.worstCase([embedder], inputChars(body.input ?? body.q), 0)
          : services.usage.worstCase(
              candidatesOf(body, services.providers),
              JSON.stringify(body).length,
              maxTokensOf(body, services.config.maxTokensCap),
            );
    const decision = await services.usage.budgets
      .check(key, worstCase, Date.now())
      .catch((error: unknown) => {
        services.log({ msg: "budget_unavailable", error: errorName(error) }, "warn");
        return undefined;
      });
    if (decision && !decision.allowed) {
      throw new ApiError(429, "budget_exceeded", decision.details, {
        "Retry-After": String(decision.retryAfterSeconds),
      });
    }
    await next();
  };
}

/** The characters an embeddings body asks to embed (a text or a list of texts). */
export function inputChars(input: unknown): number {
  const texts = Array.isArray(input) ? input : [input];
  return texts.reduce<number>((sum, text) => sum + (typeof text === "string" ? text.length : 0), 0);
}

/** The token allowance a chat body asks for (`/chat`'s or OpenAI's field), within the server's cap. */
function maxTokensOf(body: Record<string, unknown>, cap: number): number {
  const asked = [body.maxTokens, body.max_completion_tokens, body.max_tokens].find(
    (value): value is number => typeof value === "number",
  );
  return Math.min(asked ?? cap, cap);
}

/** Each configured provider with the model the body names (without a `provider/` prefix), else its default. */
function candidatesOf(
  body: Record<string, unknown>,
  providers: ReadonlyArray<{ name: string; defaultModel: string }>,
) {
  const asked = typeof body.model === "string" ? body.model : undefined;
  return providers.map(({ name, defaultModel }) => ({
    provider: name,
    model: asked?.startsWith(`${name}/`) ? asked.slice(name.length + 1) : (asked ?? defaultModel),
  }));
}
