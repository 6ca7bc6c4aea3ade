/**
 * Physical names of one customer's AWS resources. The stack (`lib/`) names its resources the same way
 * (a test keeps the two equal), so the CLI can reach a deployed customer from its id and region alone.
 */
export interface AwsResourceNames {
  stack: string;
  stateTable: string;
  auditTable: string;
  recordsQueue: string;
  recordsDlq: string;
  writesQueue: string;
  writesDlq: string;
  scheduleDlq: string;
  workdaySecret: string;
  procoreSecret: string;
  keyAlias: string;
  /** The function `replay --aws` invokes. */
  replayFunction: string;
}

/** The names every resource of customer `customerId` has. */
export function awsResourceNames(customerId: string): AwsResourceNames {
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
