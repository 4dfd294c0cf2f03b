// Keys (reference: the Key schema of tailscale-openapi.json). apply reads its own API key's record to
// learn which user the key acts as, because an API key may not change its own user's role.
import type { ApiCaller } from './caller.js';
import { segment } from './caller.js';
import { ShapeError } from './parse-api-objects.js';
import type { TailscaleKey } from './types.js';

/** The non-secret id inside an API access token `tskey-api-<id>-<secret>`; undefined for other forms. */
export function apiKeyIdOf(key: string): string | undefined {
  return /^tskey-api-([A-Za-z0-9]+)-./.exec(key)?.[1];
}

function parseKey(value: unknown): TailscaleKey {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ShapeError('the key is not an object');
  const f = value as Record<string, unknown>;
  if (typeof f.id !== 'string' || f.id === '') throw new ShapeError('key.id is missing');
  const key: TailscaleKey = {
    id: f.id,
    keyType: typeof f.keyType === 'string' ? f.keyType : '',
    invalid: f.invalid === true,
  };
  // An empty userId means "made by a trust credential": no user to protect.
  if (typeof f.userId === 'string' && f.userId !== '') key.userId = f.userId;
  if (typeof f.userId === 'number' && Number.isSafeInteger(f.userId)) key.userId = String(f.userId);
  if (typeof f.expires === 'string') key.expires = f.expires;
  if (Array.isArray(f.scopes)) key.scopes = f.scopes.filter((s): s is string => typeof s === 'string');
  return key;
}

export async function getKey(api: ApiCaller, keyId: string): Promise<TailscaleKey> {
  return api.json(
    {
      operation: `read key ${keyId}`,
      method: 'GET',
      path: `${api.tailnetPath}/keys/${segment(keyId)}`,
      idempotent: true,
      scopes: ['api_access_tokens:read'],
      byStatus: { 404: `no key with ID "${keyId}" in this tailnet` },
    },
    parseKey,
  );
}
