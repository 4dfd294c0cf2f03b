// The token endpoints: client credentials and workload identity (used by auth.ts to get API access
// tokens), and the authorization-code exchange of an OAuth app (the `provision` flow). All three post
// a form and get `{access_token, token_type, expires_in}` back. Sending one twice is harmless (at
// worst a second token, or a refused single-use code), so they are retried like reads.
import { registerSecret } from '../secrets.js';
import { decode, errorForAnswer, isSuccess } from './decode-response.js';
import type { CallHints } from './decode-response.js';
import type { CredentialKind } from '../domain/credential.js';
import { Transport, transportOptions } from './http.js';
import type { TransportSettings } from './http.js';
import { parseTokenResponse } from './parse-api-objects.js';
import type { TokenResponse } from './types.js';

interface TokenCall {
  operation: string;
  path: '/oauth/token' | '/oauth/token-exchange';
  form: Record<string, string>;
  credential: CredentialKind | 'none';
  byStatus: Partial<Record<number, string>>;
}

async function requestToken(transport: Transport, call: TokenCall): Promise<TokenResponse> {
  const response = await transport.send({
    operation: call.operation,
    method: 'POST',
    path: call.path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(call.form).toString(),
    idempotent: true,
  });
  const site = { operation: call.operation, method: 'POST', path: transport.fullPath(call.path) };
  const hints: CallHints = { credential: call.credential, host: transport.host, byStatus: call.byStatus };
  if (!isSuccess(response.status)) throw errorForAnswer(response, site, hints);
  return decode(response, site, transport.host, parseTokenResponse, true);
}

const WRONG_CLIENT = 'the OAuth client ID or secret is wrong, or the secret was regenerated or the client deleted';

export function clientCredentialsToken(
  transport: Transport,
  clientId: string,
  clientSecret: string,
  scopes: readonly string[] = [],
): Promise<TokenResponse> {
  const form: Record<string, string> = {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  };
  if (scopes.length > 0) form.scope = scopes.join(' ');
  return requestToken(transport, {
    operation: 'get an access token for the OAuth client',
    path: '/oauth/token',
    form,
    credential: 'oauth-client',
    byStatus: { 400: WRONG_CLIENT, 401: WRONG_CLIENT },
  });
}

const ID_TOKEN_REFUSED =
  "the ID token was refused; check that the federated identity's issuer, subject and audience match this " +
  "workflow's token";

export function workloadIdentityToken(transport: Transport, clientId: string, idToken: string): Promise<TokenResponse> {
  return requestToken(transport, {
    operation: 'exchange the ID token for an access token',
    path: '/oauth/token-exchange',
    form: { client_id: clientId, jwt: idToken },
    credential: 'workload-identity',
    byStatus: { 400: ID_TOKEN_REFUSED, 401: ID_TOKEN_REFUSED, 403: ID_TOKEN_REFUSED },
  });
}

export interface AuthorizationCodeExchange extends TransportSettings {
  /** The OAuth app's ID (its client ID). */
  clientId: string;
  clientSecret: string;
  /** From the redirect, after its `state` was checked. */
  code: string;
  /** Exactly the redirect URI the authorization request named. */
  redirectUri: string;
}

/**
 * The last step of an OAuth app's authorization-code flow. The access token it returns is itself a
 * single-use auth key for `tailscale up --auth-key`; it is registered as a secret on arrival.
 */
export async function exchangeAuthorizationCode(exchange: AuthorizationCodeExchange): Promise<TokenResponse> {
  registerSecret(exchange.clientSecret);
  registerSecret(exchange.code);
  const transport = new Transport(transportOptions(exchange));
  try {
    return await requestToken(transport, {
      operation: 'exchange the authorization code for an auth key',
      path: '/oauth/token',
      form: {
        grant_type: 'authorization_code',
        code: exchange.code,
        client_id: exchange.clientId,
        client_secret: exchange.clientSecret,
        redirect_uri: exchange.redirectUri,
      },
      credential: 'none',
      byStatus: {
        400:
          'the code was refused: it works once and for a short time, and the redirect URI must be the one the ' +
          'authorization used; start the flow again',
        401: "the OAuth app's client ID or secret is wrong, or the secret was regenerated",
      },
    });
  } finally {
    await transport.close();
  }
}
