import * as z from "zod";
import { lazy } from "../lib/lazy";

export const AUDIT_EVENT_TYPES = ["auth_failure", "rate_limited", "room_token_issued", "key_erased"] as const;

/** One security event, as logged and as kept in the audit trail. Never holds a key or a secret. */
export const AuditEventSchema = lazy(() =>
  z
    .object({
      id: z.string().meta({
        description: "Stream id, `<epoch ms>-<sequence>`; page with it",
        examples: ["1764151200000-0"],
      }),
      type: z.enum(AUDIT_EVENT_TYPES),
      at: z.string().meta({ examples: ["2026-11-26T10:00:00.000Z"] }),
      requestId: z.string(),
      method: z.string(),
      path: z.string(),
      client: z.string().meta({ description: "Client IP (CF-Connecting-IP) or `unknown`" }),
      keyName: z.string().optional().meta({ description: "Name of the API key used; never the key" }),
      reason: z
        .string()
        .optional()
        .meta({ examples: ["unknown_key"] }),
      room: z.string().optional(),
      target: z.string().optional().meta({ description: "The key name an admin action was about" }),
    })
    .meta({ id: "AuditEvent" }),
);

export const AuditPageSchema = lazy(() =>
  z
    .object({
      events: z.array(AuditEventSchema()).meta({ description: "Newest first" }),
      nextCursor: z.string().nullable().meta({ description: "Pass as `before` for the next (older) page" }),
    })
    .meta({ id: "AuditPage" }),
);

export type AuditEvent = z.infer<ReturnType<typeof AuditEventSchema>>;
export type AuditEventInput = Omit<AuditEvent, "id">;
export type AuditPage = z.infer<ReturnType<typeof AuditPageSchema>>;

/** Stream ids: `<epoch ms>-<sequence>`, as Redis gives them. */
export const STREAM_ID_PATTERN = /^\d{1,16}-\d{1,16}$/;
