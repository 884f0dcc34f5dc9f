import * as z from "zod";

/** The error envelope every failure answers with. */
export const ErrorEnvelopeSchema = z
  .object({
    status: z.literal("error"),
    error: z.string().meta({ examples: ["invalid_request"], description: "Stable snake_case code" }),
    details: z.string().meta({ examples: ["message: Too small: expected string to have >=1 characters"] }),
  })
  .meta({ id: "Error" });

/** Conversation, message and room ids: the seed's opaque ids, safe in keys and URLs. */
export const IdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, { error: "must be 1–128 characters of A–Z, a–z, 0–9, _ or -" });
