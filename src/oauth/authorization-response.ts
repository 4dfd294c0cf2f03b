// What the consent screen's redirect said: a code, a refusal, or something that did not come from our
// own request. `state` is checked before anything else is believed (RFC 6749 section 10.12).
import { timingSafeEqual } from 'node:crypto';

/** Base of the ways the authorization step can stop the flow. */
export class AuthorizationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorizationError';
  }
}

/** The user (or Tailscale for them) declined: `error=access_denied`. */
export class AuthorizationDeniedError extends AuthorizationError {
  constructor() {
    super(
      'authorization was denied (error=access_denied): the consent screen was declined, or the signed-in user ' +
        "cannot authorize this app (only users of the app's own tailnet can); no auth key was issued. Run provision " +
        'again and approve to continue',
    );
    this.name = 'AuthorizationDeniedError';
  }
}

/** The redirect's `state` is missing or not ours: a forged or stale redirect. */
export class StateMismatchError extends AuthorizationError {
  constructor(received: string | null) {
    super(
      `the redirect's state ${received === null ? 'is missing' : 'does not match the one this run sent'}, so it ` +
        `did not come from this authorization request (a forged or stale redirect); the code it carried was not ` +
        `used. Run provision again, and open only the URL it prints`,
    );
    this.name = 'StateMismatchError';
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The authorization code from a redirect's query, once `state` matches. A refusal is accepted without
 * `state`, since the documented denial carries only `error`; it stops the flow either way, and a
 * refusal with a wrong `state` is still reported as forged.
 */
export function readAuthorizationCode(query: URLSearchParams, expectedState: string): string {
  const state = query.get('state');
  const error = query.get('error');
  if (state !== null && !sameText(state, expectedState)) throw new StateMismatchError(state);
  if (error === 'access_denied') throw new AuthorizationDeniedError();
  if (error !== null) {
    const detail = query.get('error_description');
    throw new AuthorizationError(
      `the consent screen answered error=${error}${detail ? ` (${detail})` : ''}; check the client ID and that ` +
        `the app allows the scope auth_keys:create:once, then run again`,
    );
  }
  if (state === null) throw new StateMismatchError(null);
  const code = query.get('code');
  if (!code) throw new AuthorizationError('the redirect carried neither a code nor an error; run provision again');
  return code;
}
