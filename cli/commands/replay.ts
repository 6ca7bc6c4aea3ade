import { exitCodeOf } from '../../lambdas/pipeline/summary';
import { type CommandHandler, EXIT, type ReplayOptions } from '../command';
import { writeJson } from '../io';
import { runReplay } from '../operate/replay-run';
import { requireLocal, withSession } from '../operate/session';
import { progressLine } from '../operate/style';
import { printSummary } from '../output/summary';

/** `replay`: re-enqueues records from the audit trail (`--key` or `--status`) and runs map and write for them. */
export const replay: CommandHandler<ReplayOptions> = async (options, { io }) => {
  const target = requireLocal(options.target);
  return withSession(target, io, options.json, async ({ rt, out, tty }) => {
    const progress = progressLine((text) => io.stderr(text), tty);
    const summary = await runReplay(rt, options.select, options.since, {
      onProgress: ({ stage, detail }) => progress.update(`${stage}: ${detail}`),
    });
    progress.done();
    if (options.json) writeJson(io, summary);
    else if (summary.replayed === 0) out('Nothing to replay: no record matches.\n');
    else printSummary(out, summary, tty);
    return exitCodeOf(summary) === 0 ? EXIT.ok : EXIT.notRight;
  });
};
