export { type AuditEvent, AuditEventSchema, type AuditPage, AuditPageSchema } from "./audit-event";
