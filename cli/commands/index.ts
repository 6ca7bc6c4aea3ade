import type { CommandHandlers } from '../command';
import { demo } from './demo';
import { ping } from './ping';
import { replay } from './replay';
import { report } from './report';
import { sandbox } from './sandbox';
import { secretsSet } from './secrets-set';
import { status } from './status';
import { sync } from './sync';
import { validate } from './validate';

/** The real handler of every command; replace an entry's file to implement a command. */
export const commandHandlers: CommandHandlers = {
  demo,
  sandbox,
  validate,
  ping,
  sync,
  status,
  replay,
  report,
  secretsSet,
};
