import { loadCustomerConfig } from '../../lambdas/config/loader';
import { type CommandHandler, EXIT, type ValidateOptions } from '../command';

/** `validate --config F`: checks the file offline; an invalid file throws the ConfigError that main turns into exit 2. */
export const validate: CommandHandler<ValidateOptions> = async ({ config }, { io }) => {
  const customer = await loadCustomerConfig(config, { cwd: io.cwd });
  const rules = customer.mapping.projects.length;
  io.stdout(
    `✓ ${config} is valid: customer ${customer.customerId}, ${rules} project ${rules === 1 ? 'rule' : 'rules'}, ` +
      `Workday auth ${customer.workday.auth}\n`,
  );
  return EXIT.ok;
};
