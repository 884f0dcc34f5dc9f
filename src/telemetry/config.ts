import * as z from "zod";
import { flag, optionalText, optionalUrl } from "../lib/env-fields";

/** The standard OpenTelemetry variables the exporter reads (part of the shared environment schema). */
export const TelemetryEnvSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** `name=value,name2=value2`, values URL-encoded (the OpenTelemetry convention). */
  OTEL_EXPORTER_OTLP_HEADERS: optionalText,
  OTEL_SERVICE_NAME: z.string().trim().min(1).default("neon-nexus"),
  /** Message text in spans (`gen_ai.input.messages`, `gen_ai.output.messages`); off by default. */
  OTEL_CAPTURE_CONTENT: flag(false),
});

export type TelemetryConfig = ReturnType<typeof telemetryConfig>;

/** Where traces go (none: traces are kept only for `Server-Timing`), and how. */
export function telemetryConfig(vars: z.output<typeof TelemetryEnvSchema>) {
  const endpoint = vars.OTEL_EXPORTER_OTLP_ENDPOINT;
  const url = endpoint && `${endpoint}/v1/traces`;
  return {
    exporter: url ? { url, headers: parseHeaders(vars.OTEL_EXPORTER_OTLP_HEADERS) } : undefined,
    serviceName: vars.OTEL_SERVICE_NAME,
    captureContent: vars.OTEL_CAPTURE_CONTENT,
  };
}

function parseHeaders(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (value ?? "").split(",")) {
    const equals = pair.indexOf("=");
    if (equals > 0)
      headers[pair.slice(0, equals).trim().toLowerCase()] = decoded(pair.slice(equals + 1).trim());
  }
  return headers;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
