import type { Logger } from "../lib/log";
import { VERSION } from "../version";
import type { TelemetryConfig } from "./config";
import { createOtlpExporter, type OtlpExporter } from "./otlp";

export { tracedAnalyzer, tracedMemory, tracedProvider, tracedRooms, tracedStore } from "./instrument";
export { active, runInSpan, startSpan, Trace, traced, withTraceparent } from "./trace";

export interface Telemetry {
  /** Sends finished traces to the OTLP endpoint; absent when none is configured. */
  exporter: OtlpExporter | undefined;
  captureContent: boolean;
}

/** The trace exporter, when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `_TRACES_ENDPOINT`) is set. */
export function createTelemetry(config: TelemetryConfig, log: Logger): Telemetry {
  const exporter =
    config.exporter &&
    createOtlpExporter({ ...config.exporter, serviceName: config.serviceName, version: VERSION, log });
  return { exporter, captureContent: config.captureContent };
}
