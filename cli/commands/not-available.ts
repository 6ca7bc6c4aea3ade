import { type CommandHandler, EXIT } from '../command';

/** PLACEHOLDER handler for a command whose implementation has not landed: says so on stderr and exits 3. */
export function notAvailableYet<Options>(command: string): CommandHandler<Options> {
  return async (_options, { io }) => {
    io.stderr(`ml-connector ${command}: not available yet\n`);
    return EXIT.failed;
  };
}
