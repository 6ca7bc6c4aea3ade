import * as z from 'zod';
import type { ProcoreSecret, SecretStore, WorkdayIsuSecret, WorkdayOauthSecret } from '../ports';
import { ConfigError } from './errors';

/** Environment variable for each secret JSON key (README, "Credentials"). */
const ENV_NAMES = {
  workday: {
    isu: { username: 'WORKDAY_USERNAME', password: 'WORKDAY_PASSWORD' },
    oauth: {
      clientId: 'WORKDAY_CLIENT_ID',
      clientSecret: 'WORKDAY_CLIENT_SECRET',
      refreshToken: 'WORKDAY_REFRESH_TOKEN',
    },
  },
  procore: { clientId: 'PROCORE_CLIENT_ID', clientSecret: 'PROCORE_CLIENT_SECRET' },
} as const;

const nonEmpty = z.string().min(1);
const isuSchema = z.object({
  username: nonEmpty.regex(/^[^@\s]+@[^@\s]+$/, 'must be user@tenant'),
  password: nonEmpty,
});
const oauthSchema = z.object({ clientId: nonEmpty, clientSecret: nonEmpty, refreshToken: nonEmpty });
const procoreSchema = z.object({ clientId: nonEmpty, clientSecret: nonEmpty });

export type WorkdayAuth = 'isu' | 'oauth';
type Env = Record<string, string | undefined>;

function resolve<T>(
  schema: z.ZodType<T>,
  names: Record<string, string>,
  stored: Record<string, string> | undefined,
  env: Env,
  what: string,
): T {
  // Each value from the encrypted store first, else from its environment variable.
  const merged = Object.fromEntries(
    Object.entries(names).map(([key, envName]) => [key, stored?.[key] ?? env[envName]]),
  );
  const parsed = schema.safeParse(merged);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    `${what} credentials`,
    parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const envName = names[key] ?? key;
      return {
        path: key,
        message:
          merged[key] === undefined
            ? `not set: run \`ml-connector secrets set --system ${what.toLowerCase().split(' ')[0]}\` or export ${envName}`
            : `${issue.message} (from ${stored?.[key] === undefined ? envName : 'the local secret store'})`,
      };
    }),
  );
}

/** Workday credentials for the configured auth mode; the store wins over the environment. */
export async function workdayCredentials(
  auth: WorkdayAuth,
  store: SecretStore,
  env: Env = process.env,
): Promise<WorkdayIsuSecret | WorkdayOauthSecret> {
  const stored = await store.get('workday');
  return auth === 'isu'
    ? resolve(isuSchema, ENV_NAMES.workday.isu, stored, env, 'Workday ISU')
    : resolve(oauthSchema, ENV_NAMES.workday.oauth, stored, env, 'Workday OAuth');
}

/** Procore client credentials; the store wins over the environment. */
export async function procoreCredentials(store: SecretStore, env: Env = process.env): Promise<ProcoreSecret> {
  return resolve(procoreSchema, ENV_NAMES.procore, await store.get('procore'), env, 'Procore');
}

/** Persists a refresh token Workday rotated, before the new access token is used: from now on it wins over the environment. */
export async function persistRotatedRefreshToken(
  store: SecretStore,
  current: WorkdayOauthSecret,
  refreshToken: string,
): Promise<void> {
  const stored = (await store.get('workday')) ?? {};
  await store.put('workday', { ...stored, ...current, refreshToken });
}

/** Validates a secret JSON object typed on stdin for `secrets set`. */
export function parseSecretInput(
  system: 'workday' | 'procore',
  auth: WorkdayAuth,
  json: unknown,
): Record<string, string> {
  const schema = system === 'procore' ? procoreSchema : auth === 'isu' ? isuSchema : oauthSchema;
  const parsed = schema.strict().safeParse(json);
  if (parsed.success) return parsed.data as Record<string, string>;
  throw new ConfigError(
    `the ${system} credentials on stdin`,
    parsed.error.issues.map((i) => ({ path: ['$', ...i.path.map(String)].join('.'), message: i.message })),
  );
}
