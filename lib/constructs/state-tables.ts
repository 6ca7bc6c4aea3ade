import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE_LAYOUT } from '../../lambdas/config/names';

/** The key and the names of the two tables. */
export interface StateTablesProps {
  key: kms.IKey;
  stateTableName: string;
  auditTableName: string;
}

type Indexes = Record<string, { partitionKey: string; sortKey: string; projection: 'KEYS_ONLY' | 'ALL' }>;

/** The state table (cursors, lease, ledger, token cache) and the audit table (trail and runs, expiring by TTL). */
export class StateTables extends Construct {
  readonly state: dynamodb.TableV2;
  readonly audit: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: StateTablesProps) {
    super(scope, id);
    const table = (tableId: string, tableName: string, indexes: Indexes, timeToLiveAttribute?: string) =>
      new dynamodb.TableV2(this, tableId, {
        tableName,
        partitionKey: { name: TABLE_LAYOUT.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: TABLE_LAYOUT.sortKey, type: dynamodb.AttributeType.STRING },
        billing: dynamodb.Billing.onDemand(),
        encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.key),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        ...(timeToLiveAttribute === undefined ? {} : { timeToLiveAttribute }),
        globalSecondaryIndexes: Object.entries(indexes).map(([indexName, index]) => ({
          indexName,
          partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
          sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
          projectionType: dynamodb.ProjectionType[index.projection],
        })),
      });
    this.state = table('State', props.stateTableName, TABLE_LAYOUT.state.indexes);
    this.audit = table(
      'Audit',
      props.auditTableName,
      TABLE_LAYOUT.audit.indexes,
      TABLE_LAYOUT.audit.timeToLiveAttribute,
    );
  }
}
