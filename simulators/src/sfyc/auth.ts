import type { AuthOutcome, HandlerContext, SimRequest } from '../common/route.ts';
import { bearerToken } from '../common/tokens.ts';
import type { TokenRegistry } from '../common/tokens.ts';
import type { SimReply } from '../common/types.ts';

export interface SfycCredentials {
  clientId: string;
  clientSecret: string;
}

export interface SfycTokenSettings {
  credentials: SfycCredentials;
  tokenTtlSeconds: number;
  /** How wrong credentials are answered: OAuth2 says 401 invalid_client; some servers say 400. */
  badCredentialsStatus: 400 | 401;
}

const oauthError = (status: number, error: string, description: string): SimReply => ({
  status,
  body: { error, error_description: description },
  headers: status === 401 ? { 'www-authenticate': 'Basic realm="sfyc"' } : {},
});

/** `POST /oauth/token`: client credentials, form-encoded. */
export function sfycTokenEndpoint(
  req: SimRequest,
  ctx: HandlerContext,
  tokens: TokenRegistry,
  s: SfycTokenSettings,
): SimReply {
  if (req.bodyKind !== 'form') {
    ctx.violation('bad-request', 'POST /oauth/token must be application/x-www-form-urlencoded');
    return oauthError(400, 'invalid_request', 'The request must be form-encoded.');
  }
  const form = req.body as Record<string, string>;
  if (form.grant_type !== 'client_credentials') {
    ctx.violation('bad-request', `POST /oauth/token with grant_type=${form.grant_type ?? '(none)'}`);
    return oauthError(400, 'unsupported_grant_type', 'Only client_credentials is supported.');
  }
  if (form.client_id !== s.credentials.clientId || form.client_secret !== s.credentials.clientSecret) {
    return oauthError(s.badCredentialsStatus, 'invalid_client', 'Client authentication failed.');
  }
  const token = tokens.issue('access', s.tokenTtlSeconds);
  return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: s.tokenTtlSeconds } };
}

export function sfycAuthenticate(req: SimRequest, tokens: TokenRegistry): AuthOutcome {
  const verdict = tokens.check(bearerToken(req.headers), 'access');
  if (verdict === 'ok') return { ok: true };
  return {
    ok: false,
    verdict,
    reply: {
      status: 401,
      body: { error: { code: 'UNAUTHORIZED', message: `token ${verdict}` } },
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    },
  };
}
