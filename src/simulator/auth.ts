// Authentication and authorization of API requests, with Tailscale's error texts: 401 `API token
// invalid` for a missing, unknown or expired credential; 403 `user tailnet does not match` for a
// tailnet in the path that is not the credential's; 403 `calling actor does not have enough
// permissions to perform this function` for a missing scope.
import type { IncomingHttpHeaders } from 'node:http';
import type { Actor } from './credentials.js';
import { ApiError, MESSAGES } from './http.js';
import type { RouteContext } from './router.js';
import { covers, isWithheld } from './scopes.js';
import type { SimulatorState } from './state.js';

/** The credential in an Authorization header: `Bearer <key>`, or Basic with the key as user name. */
export function credentialOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space === -1) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value || undefined;
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user || undefined;
}

export function authenticate(headers: IncomingHttpHeaders, state: SimulatorState): Actor {
  const credential = credentialOf(headers);
  const actor = credential === undefined ? undefined : state.credentials.authenticate(credential);
  if (!actor) throw new ApiError(401, MESSAGES.tokenInvalid);
  return actor;
}

export function checkTailnet(state: SimulatorState, segment: string | undefined): void {
  if (segment !== undefined && !state.matchesTailnet(segment)) throw new ApiError(403, MESSAGES.tailnetMismatch);
}

/** Throws 403 unless the request's actor holds `scope` (and the knobs do not withhold it). */
export function requireScope(context: RouteContext, scope: string): void {
  const actor = context.actor;
  if (!actor) throw new ApiError(401, MESSAGES.tokenInvalid);
  if (!covers(actor.scopes, scope) || isWithheld(context.knobs.withheldScopes, scope)) {
    throw new ApiError(403, MESSAGES.notEnoughPermissions);
  }
}
