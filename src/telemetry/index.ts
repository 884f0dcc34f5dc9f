import type { Logger } from "../lib/log";
import { VERSION } from "../version";
import type { TelemetryConfig } from "./config";
import { createOtlpExporter, type OtlpExporter } from "./otlp";

import type { Trace } from "./trace";

export { tracedProvider, withTrace } from "./instrument";
export { Trace, traceSignal, withTraceparent } from "./trace";

export interface Telemetry {
  /** Sends finished traces to the OTLP endpoint; absent when none is configured. */
  exporter: OtlpExporter | undefined;
  captureContent: boolean;
  /** The trace of the request these services were given to (see `withTrace`), when it is traced. */
  trace?: Trace;
}

/** The trace exporter, when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `_TRACES_ENDPOINT`) is set. */
export function createTelemetry(config: TelemetryConfig, log: Logger): Telemetry {
  const exporter =
    config.exporter &&
    createOtlpExporter({ ...config.exporter, serviceName: config.serviceName, version: VERSION, log });
  return { exporter, captureContent: config.captureContent };
}
