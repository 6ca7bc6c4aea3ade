import { processIo } from '../cli/io';
import { main } from '../cli/main';

const code = await main(process.argv, processIo());
// Flush both streams before exiting: a piped stdout is asynchronous on some platforms, and lingering
// keep-alive sockets or timers must not hold the CLI open once the command is done.
await Promise.all([
  new Promise((done) => process.stdout.write('', done)),
  new Promise((done) => process.stderr.write('', done)),
]);
process.exit(code);
