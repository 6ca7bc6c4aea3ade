/**
 * The sandbox in a process of its own, so that the memory bench measures the connector and not the
 * simulators (whose Procore state grows with every write). Prints one JSON line, `{config, credentials}`,
 * once it listens, and stops when its stdin closes (its parent is gone) or on SIGTERM.
 * Usage: tsx bench/sandbox-process.ts --scale firm --dir /tmp/x
 */
import { parseArgs } from 'node:util';
import { startSandbox } from '../sandbox';
import { NO_RATE_LIMIT } from './connector';

const { values } = parseArgs({ options: { scale: { type: 'string', default: 'small' }, dir: { type: 'string' } } });
const { scale, dir } = values;
if (scale !== 'small' && scale !== 'firm' && scale !== 'enterprise') throw new Error(`--scale: ${scale}`);
if (dir === undefined) throw new Error('--dir is required');

const sandbox = await startSandbox({ scale, seed: 1, rateLimit: NO_RATE_LIMIT });
const config = await sandbox.writeConfig(dir, { retry: { maxAttempts: 6, baseDelaySeconds: 1 } });
console.log(JSON.stringify({ config, credentials: sandbox.credentials }));
const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.stdin.on('end', stop).resume();
process.once('SIGTERM', stop);
