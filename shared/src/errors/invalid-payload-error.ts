/**
 * Throw when a job's payload or the stored ticket it names does not validate (a poisoned job).
 * Permanent: no retry can fix it.
 */
export class InvalidPayloadError extends Error {
  override readonly name = 'InvalidPayloadError' as const;
  constructor(message: string) {
    super(message);
  }
}
