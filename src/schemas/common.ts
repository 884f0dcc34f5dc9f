import * as z from "zod";
import { ID_PATTERN, ID_RULE } from "../lib/ids";
import { lazy } from "../lib/lazy";

/** The error envelope every failure answers with. */
export const ErrorEnvelopeSchema = lazy(() =>
  z
    .object({
      status: z.literal("error"),
      error: z.string().meta({ examples: ["invalid_request"], description: "Stable snake_case code" }),
      details: z.string().meta({ examples: ["message: Too small: expected string to have >=1 characters"] }),
    })
    .meta({ id: "Error" }),
);

/** Conversation, message and room ids: opaque, safe in cache keys, URLs and room names. */
export const IdSchema = lazy(() => z.string().regex(ID_PATTERN, { error: ID_RULE }));
