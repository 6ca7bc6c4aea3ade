import { exitCodeOf, type RunSummary } from '../../lambdas/pipeline/summary';
import { type CommandHandler, EXIT, type ReplayOptions } from '../command';
import { writeJson } from '../io';
import { withAwsSession } from '../operate/aws-session';
import { replayOnAws } from '../operate/replay-aws';
import { runReplay } from '../operate/replay-run';
import { withSession } from '../operate/session';
import { progressLine } from '../operate/style';
import { printSummary } from '../output/summary';

/**
 * `replay`: re-enqueues records from the audit trail (`--key` or `--status`) and reports where each one
 * ended. Locally it runs map and write for them; on AWS the deployed replay function enqueues them, the
 * deployed pipeline writes them, and the command waits for their outcome.
 */
export const replay: CommandHandler<ReplayOptions> = async (options, { io }) => {
  const { target, json } = options;
  const show = (summary: RunSummary, out: (text: string) => void, tty: boolean) => {
    if (json) writeJson(io, summary);
    else if (Object.values(summary.replayed ?? {}).every((n) => n === 0))
      out('Nothing to replay: no record matches.\n');
    else printSummary(out, summary, tty);
    return exitCodeOf(summary) === 0 ? EXIT.ok : EXIT.notRight;
  };
  if (target.kind === 'aws') {
    return withAwsSession(target, io, json, async (aws) => {
      const progress = progressLine((text) => io.stderr(text), aws.tty);
      const summary = await replayOnAws(aws, options.select, options.since, { onProgress: progress.update });
      progress.done();
      return show(summary, aws.out, aws.tty);
    });
  }
  return withSession(target, io, json, async ({ rt, out, tty }) => {
    const progress = progressLine((text) => io.stderr(text), tty);
    const summary = await runReplay(rt, options.select, options.since, {
      onProgress: ({ stage, detail }) => progress.update(`${stage}: ${detail}`),
    });
    progress.done();
    return show(summary, out, tty);
  });
};
