export { AuthFailedError } from './auth-failed-error.ts';
export { classify, httpDisposition, type Disposition, type Verdict } from './classify.ts';
export { HttpStatusError } from './http-status-error.ts';
export { InvalidPayloadError } from './invalid-payload-error.ts';
export { InvalidResponseError } from './invalid-response-error.ts';
export { ItemError } from './item-error.ts';
export { NetworkError, NETWORK_ERROR_CODES, type NetworkErrorCode } from './network-error.ts';
export { boundedCode, ERROR_CODE_MAX_CHARS, KNOWN_ERROR_CODES, metricCode } from './codes.ts';
export { TokenUnavailableError } from './token-unavailable-error.ts';
