import { ConnectorError } from '../shared/errors';
import type { MapResult, WriteCommand } from './commands';
import { mappedHash } from './version';

/** A record that cannot be mapped as it stands; the message tells a finance person what to change. */
export class MappingProblem extends ConnectorError {
  readonly code = 'MAPPING_QUARANTINED';
  readonly retryable = false;
}

/** A record outside the sync's scope (status not mapped, dated before `syncFrom`). */
export class OutOfScope extends ConnectorError {
  readonly code = 'MAPPING_OUT_OF_SCOPE';
  readonly retryable = false;
}

/** A record that needs another record synced first. */
export class MissingDependency extends ConnectorError {
  readonly code = 'MAPPING_DEPENDENCY_MISSING';
  readonly retryable = true;
  readonly dependency: string;

  constructor(dependency: string, message: string) {
    super(message, { context: { dependency } });
    this.dependency = dependency;
  }
}

// A long document with many bad lines still gets a readable reason.
const MAX_LISTED = 5;

function listed(messages: string[]): string {
  const shown = messages.slice(0, MAX_LISTED).join(' ');
  const more = messages.length - MAX_LISTED;
  return more > 0 ? `${shown} (and ${more} more like these)` : shown;
}

/**
 * Maps every item, collecting each item's problem instead of stopping at the first, so one reason names
 * every line to fix. Quarantine wins over waiting: a mapping fix is needed whatever arrives later.
 */
export function mapEach<T, R>(items: readonly T[], map: (item: T) => R): R[] {
  const results: R[] = [];
  const problems: string[] = [];
  const missing: MissingDependency[] = [];
  for (const item of items) {
    try {
      results.push(map(item));
    } catch (error) {
      if (error instanceof MappingProblem) problems.push(error.message);
      else if (error instanceof MissingDependency) missing.push(error);
      else throw error;
    }
  }
  if (problems.length > 0) throw new MappingProblem(listed(problems));
  const [first] = missing;
  if (first !== undefined) throw new MissingDependency(first.dependency, listed(missing.map((m) => m.message)));
  return results;
}

/** Runs a document mapper and turns its outcome, or any exception, into a MapResult; never throws. */
export function settle(key: string, plan: () => WriteCommand[]): MapResult {
  try {
    const commands = plan();
    return { outcome: 'mapped', key, commands, mappedHash: mappedHash(commands) };
  } catch (error) {
    if (error instanceof OutOfScope) return { outcome: 'skipped', key, reason: error.message };
    if (error instanceof MappingProblem) return { outcome: 'quarantined', key, reason: error.message };
    if (error instanceof MissingDependency) {
      return { outcome: 'waiting', key, dependency: error.dependency, reason: error.message };
    }
    const message = error instanceof Error ? error.message : String(error);
    return {
      outcome: 'quarantined',
      key,
      reason: `${key} could not be mapped because of an unexpected error (${message}); check the record in Workday and replay it.`,
    };
  }
}
