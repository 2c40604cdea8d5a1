/**
 * Throw when a platform refuses our credentials: Cherwell `invalid_grant`/`invalid_client_id`,
 * SFyC 400/401 from its token endpoint, or a 401 on a freshly issued token. The platform goes
 * into its auth-failed state; no ticket is charged an attempt.
 */
export class AuthFailedError extends Error {
  override readonly name = 'AuthFailedError' as const;
  readonly platform: string;

  constructor(platform: string, message: string) {
    super(message);
    this.platform = platform;
  }
}
