import { exitCodeOf } from '../../lambdas/pipeline/summary';
import { type CommandHandler, EXIT, type SyncOptions } from '../command';
import { writeJson } from '../io';
import { syncDryRun } from '../operate/dry-run';
import { withSession } from '../operate/session';
import { printSummary } from '../output/summary';
import { runCycle } from '../runtime/local';

/** `sync`: one cycle through the local runtime (poll, map, write), then exit with the contract's code. */
export const sync: CommandHandler<SyncOptions> = async (options, { io }) =>
  withSession(options.target, io, options.json, async ({ rt, out, tty }) => {
    if (options.dryRun) return syncDryRun(rt, io, options.json);
    const summary = await runCycle(rt, {
      untilIdle: options.untilIdle,
      ...(tty ? { onProgress: ({ stage, detail }) => io.stderr(`\r${stage}: ${detail}\u001b[K`) } : {}),
    });
    if (tty) io.stderr('\n');
    if (options.json) writeJson(io, summary);
    else printSummary(out, summary, tty);
    return exitCodeOf(summary) === 0 ? EXIT.ok : EXIT.notRight;
  });
