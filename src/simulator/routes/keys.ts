// Keys: `GET /tailnet/{tailnet}/keys/{keyId}` for API access tokens, which is how apply learns whose
// key it runs with (a key may not change its own user's role). The spec asks for
// `api_access_tokens:read`; the simulator also lets an API key read its own record, the one lookup
// apply needs, unless the knobs withhold that scope. Only API keys are described: the fixture has no
// auth keys, and OAuth clients are not looked up this way by the product.
import { requireScope } from '../auth.js';
import { ApiError, MESSAGES, json, type SimResponse } from '../http.js';
import type { Route, RouteContext } from '../router.js';
import { isWithheld } from '../scopes.js';

const SCOPE = 'api_access_tokens:read';

function getKey(context: RouteContext): SimResponse {
  const keyId = context.params.keyId ?? '';
  const actor = context.actor;
  const ownKey = actor?.kind === 'api-key' && actor.keyId === keyId;
  if (!ownKey) requireScope(context, SCOPE);
  else if (isWithheld(context.knobs.withheldScopes, SCOPE)) throw new ApiError(403, MESSAGES.notEnoughPermissions);
  const info = context.state.credentials.apiKeyInfo(keyId);
  if (!info) throw new ApiError(404, MESSAGES.notFound);
  return json(200, { ...info, keyType: 'api', description: '' });
}

export const keyRoutes: Route[] = [
  { method: 'GET', pattern: '/tailnet/:tailnet/keys/:keyId', scope: '', handler: getKey },
];
