import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { METRIC, METRICS_NAMESPACE, type MetricName } from '../../config/names';
import type { AuditEvent, AuditLog } from '../../ports';
import { type LogFields, type Logger, redact, redactText } from '../../shared/logger';

/** The Logger port over Powertools' logger, redacting the message and every field, plus the invocation context. */
export interface LambdaLogger extends Logger {
  addContext(context: Context): void;
}

/** Logs and metrics of one function: JSON logs and EMF metrics on stdout, dimensioned by customer. */
export interface Telemetry {
  logger: LambdaLogger;
  count(name: MetricName, value?: number): void;
  gauge(name: MetricName, value: number, unit?: 'Count' | 'Seconds'): void;
  /** The audit port, counting each outcome it records as a metric. */
  countOutcomes(audit: AuditLog): AuditLog;
  /** Writes the metrics of the invocation; call once at its end. */
  flush(): void;
}

const OUTCOME_METRIC: Partial<Record<AuditEvent['outcome'], MetricName>> = {
  written: METRIC.written,
  unchanged: METRIC.unchanged,
  skipped: METRIC.skipped,
  quarantined: METRIC.quarantined,
  deadLettered: METRIC.deadLettered,
  retrying: METRIC.retried,
  parked: METRIC.parked,
};

/** Whose telemetry, under which service name. */
export interface TelemetryOptions {
  customerId: string;
  serviceName: string;
}

/** Builds the function's logger and metrics; Powertools reads its level and switches from the environment. */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  const powertools = new PowertoolsLogger({
    serviceName: options.serviceName,
    persistentKeys: { customerId: options.customerId },
  });
  const metrics = new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: options.serviceName,
    defaultDimensions: { customerId: options.customerId },
  });
  const fields = (f: LogFields | undefined) => (f === undefined ? {} : (redact(f) as LogFields));
  const logger: LambdaLogger = {
    debug: (message, f) => powertools.debug(redactText(message), fields(f)),
    info: (message, f) => powertools.info(redactText(message), fields(f)),
    warn: (message, f) => powertools.warn(redactText(message), fields(f)),
    error: (message, f) => powertools.error(redactText(message), fields(f)),
    addContext: (context) => powertools.addContext(context),
  };
  // Counts are summed per invocation and written once: one EMF value per metric, however many records.
  const counts = new Map<MetricName, number>();
  const count = (name: MetricName, value = 1) => counts.set(name, (counts.get(name) ?? 0) + value);
  return {
    logger,
    count,
    gauge: (name, value, unit = 'Count') =>
      metrics.addMetric(name, unit === 'Seconds' ? MetricUnit.Seconds : MetricUnit.Count, value),
    countOutcomes: (audit) => ({
      ...audit,
      async append(events) {
        await audit.append(events);
        for (const event of events) {
          const name = OUTCOME_METRIC[event.outcome];
          if (name !== undefined) count(name);
        }
      },
    }),
    flush: () => {
      for (const [name, value] of counts) metrics.addMetric(name, MetricUnit.Count, value);
      counts.clear();
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    },
  };
}
