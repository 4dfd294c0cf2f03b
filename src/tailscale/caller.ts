// One API call from the client's side: authorise it, send it (the transport retries), fetch a new
// token once if the API refuses the current one, and turn a failed answer into an error that names
// the call, the scope it needs and the tailnet it was about.
import { decode, errorForAnswer, isSuccess } from './decode-response.js';
import type { CallHints } from './decode-response.js';
import type { Authorizer } from './auth.js';
import type { CallSite, TailscaleApiError } from './errors.js';
import type { ApiRequest, ApiResponse, Transport } from './http.js';
import { ClientUsageError } from './errors.js';

export interface CallSpec extends Omit<ApiRequest, 'authorization'> {
  /** The scopes that allow this call; named in the hint of a 403. */
  scopes: readonly string[];
  /** Added to the hint of a 403. */
  forbidden?: string;
  /** Replace the default hint of a status. */
  byStatus?: Partial<Record<number, string>>;
  /** The success answer carries a secret: an unreadable one is described, never quoted. */
  answerHoldsSecret?: boolean;
}

/**
 * A value as one path segment, escaped. `.` and `..` are refused: servers resolve them away even when
 * escaped (Go cleans the decoded path), so `/tailnet/../users` would reach another endpoint.
 */
export function segment(value: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new ClientUsageError(`"${value}" cannot name a tailnet, user or app in an API path`);
  }
  return encodeURIComponent(value);
}

export function jsonBody(value: unknown): Pick<CallSpec, 'headers' | 'body'> {
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

export class ApiCaller {
  /** `/tailnet/{tailnet}`, escaped. */
  readonly tailnetPath: string;

  constructor(
    readonly transport: Transport,
    readonly auth: Authorizer,
    readonly tailnet: string,
    readonly tailnetFrom?: string,
  ) {
    this.tailnetPath = `/tailnet/${segment(tailnet)}`;
  }

  site(spec: CallSpec): CallSite {
    return { operation: spec.operation, method: spec.method, path: this.transport.fullPath(spec.path) };
  }

  async send(spec: CallSpec): Promise<ApiResponse> {
    const request: ApiRequest = { ...spec, authorization: () => this.auth.authorization() };
    const response = await this.transport.send(request);
    // An access token can be revoked or expire early; one fresh token is worth one more try.
    if (response.status === 401 && response.authorization !== undefined && this.auth.rejected(response.authorization)) {
      return this.transport.send(request);
    }
    return response;
  }

  failure(spec: CallSpec, response: ApiResponse): TailscaleApiError {
    return errorForAnswer(response, this.site(spec), this.hints(spec));
  }

  hints(spec: CallSpec): CallHints {
    const hints: CallHints = { credential: this.auth.kind, scopes: spec.scopes, host: this.transport.host };
    if (spec.path.startsWith('/tailnet/')) {
      hints.tailnet = this.tailnet;
      if (this.tailnetFrom !== undefined) hints.tailnetFrom = this.tailnetFrom;
    }
    if (spec.forbidden !== undefined) hints.forbidden = spec.forbidden;
    if (spec.byStatus !== undefined) hints.byStatus = spec.byStatus;
    return hints;
  }

  /** Sends and throws unless the answer is a success. */
  async ok(spec: CallSpec): Promise<ApiResponse> {
    const response = await this.send(spec);
    if (!isSuccess(response.status)) throw this.failure(spec, response);
    return response;
  }

  async json<T>(spec: CallSpec, parse: (json: unknown) => T): Promise<T> {
    const response = await this.ok(spec);
    return decode(response, this.site(spec), this.transport.host, parse, spec.answerHoldsSecret === true);
  }
}
