import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, type MetricName } from '../../lambdas/config/names';

/** Procore 429s in five minutes that mean the pacing is losing, not a blip. */
const THROTTLE_STORM = 10;
const FIVE_MINUTES = Duration.minutes(5);

/** What to watch, for whom, and where to send alarms. */
export interface MonitoringProps {
  customerId: string;
  serviceName: string;
  rateMinutes: number;
  alarmEmail: string | undefined;
  key: kms.IKey;
  functions: Record<string, lambda.IFunction>;
  /** Queues whose oldest message should not get old. */
  queues: Record<string, sqs.IQueue>;
  /** Every DLQ: anything in one needs a person. */
  deadLetterQueues: Record<string, sqs.IQueue>;
}

/** The alarm topic (the customer's key, TLS only, the alarm email), one alarm per failure mode, and a dashboard. */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Alarms', {
      displayName: `ml-connector ${props.customerId} alarms`,
      masterKey: props.key,
      enforceSSL: true,
    });
    if (props.alarmEmail !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
      Validations.of(this.topic).acknowledge({
        id: 'Serverless::Serverless-SNSRedrivePolicy',
        reason:
          'An alarm email that cannot be delivered has nothing to redrive to; the alarm stays in ALARM on the dashboard',
      });
    }
    const metric = (metricName: MetricName, statistic: 'Sum' | 'Maximum' | 'Minimum', period = FIVE_MINUTES) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: props.serviceName, customerId: props.customerId },
        statistic,
        period,
      });
    const alarm = (alarmId: string, description: string, options: Omit<cloudwatch.AlarmProps, 'alarmDescription'>) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: `ml-connector ${props.customerId}: ${description}`,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...options,
      });
      created.addAlarmAction(new actions.SnsAction(this.topic));
      this.alarms.push(created);
    };

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(`${name}DeadLetters`, `messages in the ${name} DLQ: see the error in the audit trail, fix, then redrive`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
    // A queue may hold parked and backed-off messages, but none for much longer than two polls.
    const maxAgeSeconds = Math.max(3600, 2 * props.rateMinutes * 60);
    for (const [name, queue] of Object.entries(props.queues)) {
      alarm(`${name}OldestMessage`, `the ${name} queue's oldest message is over ${maxAgeSeconds / 60} minutes old`, {
        metric: queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: maxAgeSeconds,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
      });
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(`${name}Errors`, `the ${name} function failed`, {
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
      alarm(`${name}Throttles`, `the ${name} function was throttled`, {
        metric: fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
    // No finished poll for three periods (at least half an hour): the schedule, the lease or Workday is stuck.
    const periods = Math.max(3, Math.ceil(30 / props.rateMinutes));
    alarm('PollHeartbeat', `no poll has finished for ${periods * props.rateMinutes} minutes`, {
      metric: metric(METRIC.pollHeartbeat, 'Sum', Duration.minutes(props.rateMinutes)),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: periods,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    alarm('Quarantined', 'records are quarantined: `ml-connector status` lists them with the reason to fix', {
      metric: metric(METRIC.quarantined, 'Sum'),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    alarm('ProcoreThrottleStorm', `Procore answered 429 at least ${THROTTLE_STORM} times in five minutes`, {
      metric: metric(METRIC.procoreThrottled, 'Sum'),
      threshold: THROTTLE_STORM,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Records',
            width: 12,
            left: [
              METRIC.polled,
              METRIC.enqueued,
              METRIC.written,
              METRIC.unchanged,
              METRIC.quarantined,
              METRIC.deadLettered,
            ].map((name) => metric(name, 'Sum')),
          }),
          new cloudwatch.GraphWidget({
            title: 'Procore',
            width: 12,
            left: [metric(METRIC.procoreCalls, 'Sum'), metric(METRIC.procoreThrottled, 'Sum')],
            right: [metric(METRIC.rateLimitRemaining, 'Minimum')],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Freshness',
            width: 12,
            left: [metric(METRIC.syncLag, 'Maximum')],
            right: [metric(METRIC.pollHeartbeat, 'Sum')],
          }),
          new cloudwatch.GraphWidget({
            title: 'Queues',
            width: 12,
            left: Object.values(props.queues).map((q) => q.metricApproximateNumberOfMessagesVisible()),
            right: Object.values(props.queues).map((q) => q.metricApproximateAgeOfOldestMessage()),
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Functions',
            width: 24,
            left: Object.values(props.functions).flatMap((fn) => [fn.metricErrors(), fn.metricThrottles()]),
            right: Object.values(props.functions).map((fn) => fn.metricDuration({ statistic: 'p99' })),
          }),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 24, alarms: this.alarms })],
      ],
    });
  }
}
