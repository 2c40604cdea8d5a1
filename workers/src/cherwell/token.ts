import { AuthFailedError, type CherwellConfig } from '@tbe/shared';
import type { HttpClient } from '../http/client.ts';
import { tokenEndpointError } from '../http/token-errors.ts';
import type { Grant } from '../http/token-manager.ts';
import { tokenAnswer } from './schema.ts';

// Cherwell's POST /token (cherwell.md): form-encoded, `?auth_mode=` from the configuration.

/** Refresh grant when a refresh token is held (falling back when it is refused), else password. */
export async function fetchGrant(
  http: HttpClient,
  config: CherwellConfig,
  held: Grant | undefined,
): Promise<Grant> {
  if (held?.refreshToken) {
    try {
      return await tokenRequest(http, config, {
        grant_type: 'refresh_token',
        client_id: config.clientId,
        refresh_token: held.refreshToken,
      });
    } catch (error) {
      // A refused refresh token (expired, revoked) says nothing of the credentials: try them.
      if (!(error instanceof AuthFailedError)) throw error;
    }
  }
  return tokenRequest(http, config, {
    grant_type: 'password',
    client_id: config.clientId,
    username: config.username,
    password: config.password,
  });
}

async function tokenRequest(
  http: HttpClient,
  config: CherwellConfig,
  form: Record<string, string>,
): Promise<Grant> {
  try {
    const answer = await http.request({
      call: 'token',
      items: 0,
      method: 'POST',
      path: '/token',
      query: { auth_mode: config.authMode },
      form,
      schema: tokenAnswer,
      secrets: form.refresh_token === undefined ? [] : [form.refresh_token],
    });
    return {
      accessToken: answer.access_token,
      lifetimeMs: answer.expires_in * 1000,
      refreshToken: answer.refresh_token ?? undefined,
    };
  } catch (error) {
    throw tokenEndpointError('cherwell', error);
  }
}
