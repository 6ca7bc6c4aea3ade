import { loadCustomerConfig } from '../../lambdas/config/loader';
import { exitCodeOf } from '../../lambdas/pipeline/summary';
import { createJsonLogger } from '../../lambdas/shared/logger';
import { type CommandHandler, EXIT, type SyncOptions } from '../command';
import { humanOutput, writeJson } from '../io';
import { syncDryRun } from '../operate/dry-run';
import { printSummary } from '../output/summary';
import { openLocalRuntime, runCycle } from '../runtime/local';

/** `sync`: one cycle through the local runtime (poll, map, write), then exit with the contract's code. */
export const sync: CommandHandler<SyncOptions> = async (options, { io }) => {
  const config = await loadCustomerConfig(options.target.config, { cwd: io.cwd });
  const out = humanOutput(io, options.json);
  const logger = createJsonLogger(io.env.ML_CONNECTOR_LOG_LEVEL === 'debug' ? 'debug' : 'warn', (line) =>
    io.stderr(line),
  );
  const rt = openLocalRuntime({ config, statePath: options.target.state, cwd: io.cwd, env: io.env, logger });
  try {
    if (options.dryRun) return await syncDryRun(rt, io, options.json);
    const summary = await runCycle(rt, {
      untilIdle: options.untilIdle,
      ...(io.isTTY && !options.json
        ? { onProgress: ({ stage, detail }) => io.stderr(`\r${stage}: ${detail}\u001b[K`) }
        : {}),
    });
    if (io.isTTY && !options.json) io.stderr('\n');
    if (options.json) writeJson(io, summary);
    else printSummary(out, summary, io.isTTY);
    return exitCodeOf(summary) === 0 ? EXIT.ok : EXIT.notRight;
  } finally {
    await rt.close();
  }
};
