/**
 * Physical names of one customer's resources. `lambdas/adapters/aws/names.ts` derives the same names for
 * the CLI (CDK code does not import runtime code); `test/infra` keeps the two equal.
 */
export function resourceNames(customerId: string) {
  const prefix = `ml-connector-${customerId}`;
  return {
    stack: `MlConnector-${customerId}`,
    stateTable: `${prefix}-state`,
    auditTable: `${prefix}-audit`,
    recordsQueue: `${prefix}-records`,
    recordsDlq: `${prefix}-records-dlq`,
    writesQueue: `${prefix}-writes`,
    writesDlq: `${prefix}-writes-dlq`,
    scheduleDlq: `${prefix}-schedule-dlq`,
    workdaySecret: `ml-connector/${customerId}/workday`,
    procoreSecret: `ml-connector/${customerId}/procore`,
    keyAlias: `alias/ml-connector/${customerId}`,
    replayFunction: `${prefix}-replay`,
  };
}

/** Where claim-checked payloads live in the payload bucket (`lambdas/adapters/aws/payloads.ts` writes there). */
export const PAYLOAD_PREFIX = 'payloads/';

/** How long a claim-checked payload is kept: as long as the audit row that may point at it (`AUDIT_RETENTION_DAYS`). */
export const PAYLOAD_RETENTION_DAYS = 400;
