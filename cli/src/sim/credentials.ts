import { readFileSync } from 'node:fs';
import { SECRET_VARIABLES } from '@tbe/shared/config/index';
import { CommandError } from '../errors.ts';

/** What the simulators accept; each value is the environment's when set there, else the simulator's own. */
export interface SimCredentials {
  wmToken: string | undefined;
  cherwell: {
    clientId?: string;
    username?: string;
    password?: string;
    authMode?: 'Internal' | 'LDAP' | 'SAML' | 'Windows';
  };
  sfyc: { clientId?: string; clientSecret?: string };
}

const AUTH_MODES = ['Internal', 'LDAP', 'SAML', 'Windows'] as const;
const SECRETS: ReadonlySet<string> = new Set(SECRET_VARIABLES);

/**
 * The credentials a deployment is configured with, so that `simulate` accepts exactly them (in
 * compose the simulators and the roles share one environment). X_FILE works for secrets as in
 * every role.
 */
export function credentialsFromEnv(env: Record<string, string | undefined>): SimCredentials {
  const read = (name: string): string | undefined => {
    const path = SECRETS.has(name) ? env[`${name}_FILE`] : undefined;
    if (path) {
      try {
        return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
      } catch (error) {
        throw new CommandError(
          `${name}_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
        );
      }
    }
    return env[name] || undefined;
  };
  const authMode = read('CHERWELL_AUTH_MODE');
  const mode = AUTH_MODES.find((m) => m === authMode);
  if (authMode !== undefined && mode === undefined) {
    throw new CommandError(`CHERWELL_AUTH_MODE: expected ${AUTH_MODES.join(', ')}`);
  }
  return {
    wmToken: read('WM_TOKEN'),
    cherwell: {
      clientId: read('CHERWELL_CLIENT_ID'),
      username: read('CHERWELL_USERNAME'),
      password: read('CHERWELL_PASSWORD'),
      authMode: mode,
    },
    sfyc: { clientId: read('SFYC_CLIENT_ID'), clientSecret: read('SFYC_CLIENT_SECRET') },
  };
}
