export { AuthFailedError } from './auth-failed-error.ts';
export { classify, httpDisposition, type Disposition, type Verdict } from './classify.ts';
export { HttpStatusError } from './http-status-error.ts';
export { InvalidPayloadError } from './invalid-payload-error.ts';
export { InvalidResponseError } from './invalid-response-error.ts';
export { ItemError } from './item-error.ts';
export { NetworkError, type NetworkErrorCode } from './network-error.ts';
export { TokenUnavailableError } from './token-unavailable-error.ts';
