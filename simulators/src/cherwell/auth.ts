import type { SimCore } from '../common/core.ts';
import type { AuthOutcome, HandlerContext, SimRequest } from '../common/route.ts';
import { bearerToken } from '../common/tokens.ts';
import type { TokenRegistry } from '../common/tokens.ts';
import type { SimReply } from '../common/types.ts';

export const AUTH_MODES = ['Internal', 'LDAP', 'SAML', 'Windows', 'Auto'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export interface CherwellCredentials {
  clientId: string;
  username: string;
  password: string;
  authMode: AuthMode;
}

export interface TokenSettings {
  credentials: CherwellCredentials;
  tokenTtlSeconds: number;
  /** null: refresh tokens do not expire by time. */
  refreshTokenTtlSeconds: number | null;
}

const oauthError = (error: string, description: string): SimReply => ({
  status: 400,
  body: { error, error_description: description },
});

/** `/token`, with or without the device address, in any case (IIS). */
export const isTokenPath = (path: string): boolean => /(^|\/)token$/i.test(path);

/** An error of the token endpoint that its handler did not give (a gateway, a fault), RFC 6749 style. */
export function oauthErrorBody(
  status: number,
  message: string,
): { error: string; error_description: string } {
  const error =
    status === 503 || status === 429
      ? 'temporarily_unavailable'
      : status >= 500
        ? 'server_error'
        : status === 401
          ? 'invalid_client'
          : 'invalid_request';
  return { error, error_description: message };
}

/** `POST /token`: password and refresh grants, form-encoded, answered as Cherwell does. */
export function tokenEndpoint(
  req: SimRequest,
  ctx: HandlerContext,
  tokens: TokenRegistry,
  core: SimCore,
  s: TokenSettings,
): SimReply {
  if (req.bodyKind !== 'form') {
    ctx.violation('bad-request', 'POST /token must be application/x-www-form-urlencoded');
    return oauthError(
      'invalid_request',
      'The request must be form-encoded (Content-Type: application/x-www-form-urlencoded).',
    );
  }
  const form = req.body as Record<string, string>;
  const mode = req.query.auth_mode ?? 'Internal';
  const known = AUTH_MODES.find((m) => m.toLowerCase() === mode.toLowerCase());
  if (!known) {
    ctx.violation('bad-request', `POST /token with auth_mode=${mode}`);
    return oauthError('invalid_request', `Unknown auth_mode ${mode}.`);
  }
  const { credentials } = s;
  if (form.client_id !== credentials.clientId)
    return oauthError('invalid_client_id', 'The client id is not valid.');
  if (form.grant_type === 'password') {
    // Auto: the site tries the user's own mode (the simulator's user lives in one).
    const ok =
      (known === credentials.authMode || known === 'Auto') &&
      form.username === credentials.username &&
      form.password === credentials.password;
    if (!ok) return oauthError('invalid_grant', 'The user name or password is incorrect.');
  } else if (form.grant_type === 'refresh_token') {
    const verdict = tokens.check(form.refresh_token ?? null, 'refresh');
    if (verdict !== 'ok') {
      // A refresh token used twice means refreshes were not single-flight.
      if (verdict !== 'revoked' && verdict !== 'expired') {
        ctx.violation('invalid-token', `refresh with a ${verdict} refresh token`);
      }
      return oauthError('invalid_grant', 'The refresh token is invalid or expired.');
    }
    tokens.replace(form.refresh_token ?? '');
  } else {
    ctx.violation('bad-request', `POST /token with grant_type=${form.grant_type ?? '(none)'}`);
    return oauthError('unsupported_grant_type', 'The grant type is not supported.');
  }
  const access = tokens.issue('access', s.tokenTtlSeconds);
  const refresh = tokens.issue('refresh', s.refreshTokenTtlSeconds);
  tokens.pair(access, refresh);
  const issued = core.now();
  return {
    status: 200,
    body: {
      access_token: access,
      token_type: 'bearer',
      expires_in: s.tokenTtlSeconds,
      refresh_token: refresh,
      'as:client_id': credentials.clientId,
      username: credentials.username,
      '.issued': new Date(issued).toUTCString(),
      '.expires': new Date(issued + s.tokenTtlSeconds * 1000).toUTCString(),
    },
  };
}

export function cherwellAuthenticate(req: SimRequest, tokens: TokenRegistry): AuthOutcome {
  const verdict = tokens.check(bearerToken(req.headers), 'access');
  if (verdict === 'ok') return { ok: true };
  return {
    ok: false,
    verdict,
    reply: {
      status: 401,
      body: {
        Message: 'Authorization has been denied for this request.',
        errorCode: 'UNAUTHORIZED',
        errorMessage: 'Authorization has been denied for this request.',
        hasError: true,
      },
      headers: { 'www-authenticate': 'Bearer' },
    },
  };
}
