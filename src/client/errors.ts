import type * as z from "zod";
import type { ErrorEnvelopeSchema } from "../schemas/common";

export type ErrorEnvelope = z.infer<ReturnType<typeof ErrorEnvelopeSchema>>;

/** A failure the API answered with its error envelope (`{status:"error", error, details}`). */
export class NexusApiError extends Error {
  /** HTTP status; `null` when the error arrived inside an already-open SSE stream (always 200). */
  readonly status: number | null;
  /** Stable snake_case code, e.g. `rate_limited`, `provider_timeout`. */
  readonly code: string;
  readonly details: string;
  /** Seconds from `Retry-After`, when the API sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number | null,
    envelope: Pick<ErrorEnvelope, "error" | "details">,
    retryAfterSeconds?: number,
  ) {
    super(`${envelope.error}: ${envelope.details}`);
    this.name = "NexusApiError";
    this.status = status;
    this.code = envelope.error;
    this.details = envelope.details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Turns a non-2xx response into a {@link NexusApiError}, also when its body is not the envelope. */
export async function errorFromResponse(response: Response): Promise<NexusApiError> {
  const retryAfter = Number(response.headers.get("retry-after"));
  const body = (await response.json().catch(() => null)) as Partial<ErrorEnvelope> | null;
  const envelope =
    typeof body?.error === "string" && typeof body.details === "string"
      ? { error: body.error, details: body.details }
      : { error: "unexpected_response", details: `HTTP ${response.status} without an error envelope` };
  return new NexusApiError(
    response.status,
    envelope,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}
