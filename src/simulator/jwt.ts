// The JWT checks of the simulated token exchange. Tailscale verifies an IdP's token against the IdP's
// published keys; the simulator has no IdP, so it checks what tests can control: the token is three
// base64url parts with a JSON header and payload; the signature is HS256 with the identity's
// `hmacSecret` when one is configured (else it is not checked, and unsigned `alg: none` tokens pass); `iss`
// equals the identity's issuer; `aud` (a string or a list) contains its audience; `exp` is in the
// future and `nbf`/`iat`, when present, are not (all on the simulated clock); `sub` matches the
// identity's subject pattern when it has one.
import { createHmac } from 'node:crypto';
import { isObject, type JsonObject } from './json.js';
import { sameSecret } from './oauth-apps-store.js';
import type { FixtureFederatedIdentity } from './types.js';

function decodePart(part: string | undefined): JsonObject | undefined {
  if (part === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function subjectMatches(pattern: string, subject: string): boolean {
  const escaped = pattern.split('*').map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(subject);
}

/** Undefined when the JWT is acceptable for the identity, else why not (safe to show: no secrets). */
export function jwtProblem(jwt: string, identity: FixtureFederatedIdentity, nowMs: number): string | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return 'the jwt is not three dot-separated parts';
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (!header || !claims) return 'the jwt header or payload is not base64url-encoded JSON';
  if (identity.hmacSecret !== undefined) {
    if (header.alg !== 'HS256') return `the jwt must be signed with HS256, not ${JSON.stringify(header.alg)}`;
    const expected = createHmac('sha256', identity.hmacSecret).update(`${parts[0]}.${parts[1]}`).digest('base64url');
    if (!sameSecret(expected, parts[2] ?? '')) return 'the jwt signature does not verify';
  } else if (header.alg !== 'none' && header.alg !== 'HS256') {
    return `unsupported jwt alg ${JSON.stringify(header.alg)}`;
  }
  if (claims.iss !== identity.issuer)
    return `the jwt issuer ${JSON.stringify(claims.iss)} is not the federated identity's issuer`;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(identity.audience))
    return `the jwt audience ${JSON.stringify(claims.aud)} does not include the federated identity's audience`;
  const now = nowMs / 1000;
  if (typeof claims.exp !== 'number') return 'the jwt has no exp claim';
  if (claims.exp <= now) return 'the jwt has expired';
  if (typeof claims.nbf === 'number' && claims.nbf > now + 60) return 'the jwt is not valid yet (nbf)';
  if (typeof claims.iat === 'number' && claims.iat > now + 60) return 'the jwt was issued in the future (iat)';
  if (
    identity.subject !== undefined &&
    (typeof claims.sub !== 'string' || !subjectMatches(identity.subject, claims.sub))
  ) {
    return `the jwt subject ${JSON.stringify(claims.sub)} does not match the federated identity's subject`;
  }
  return undefined;
}
