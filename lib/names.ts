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
  };
}
