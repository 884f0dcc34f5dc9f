export { auditRoomTokens, recordAudit } from "./audit";
export { type AuditEvent, AuditEventSchema, type AuditPage, AuditPageSchema } from "./audit-event";
export { ADMIN_PREFIXES, apiKeyAuth, PROTECTED_PREFIXES } from "./auth";
export { corsPolicy, securityHeaders } from "./headers";
export { rateLimit } from "./rate-limit";
export { redactErrorResponses } from "./redact-responses";
