// Tailnet settings. Only the two policy settings matter to this product; the rest are kept so the
// answer has the spec's shape. Per the spec, the policy settings need `policy_file(:read)` and the
// others `feature_settings(:read)`; the simulator asks GET for `policy_file:read` (what we read) and
// PATCH for whichever scopes the keys in the body need. Unknown keys are ignored, as Go decoding does.
import { requireScope } from '../auth.js';
import { ApiError, json, type SimResponse } from '../http.js';
import { field, isObject, parseJson, type JsonValue } from '../json.js';
import type { Route, RouteContext } from '../router.js';
import type { TailnetSettings } from '../types.js';

type Kind = 'flag' | 'link' | 'days' | 'joinRole';

const FIELDS: Record<keyof TailnetSettings, Kind> = {
  aclsExternallyManagedOn: 'flag',
  aclsExternalLink: 'link',
  devicesApprovalOn: 'flag',
  devicesAutoUpdatesOn: 'flag',
  devicesKeyDurationDays: 'days',
  usersApprovalOn: 'flag',
  usersRoleAllowedToJoinExternalTailnets: 'joinRole',
  networkFlowLoggingOn: 'flag',
  regionalRoutingOn: 'flag',
  postureIdentityCollectionOn: 'flag',
  httpsEnabled: 'flag',
};

function problem(kind: Kind, value: JsonValue): string | undefined {
  switch (kind) {
    case 'flag':
      return value === null || typeof value === 'boolean' ? undefined : 'must be true, false or null';
    case 'link':
      return typeof value === 'string' && (value === '' || URL.canParse(value)) ? undefined : 'must be a URL or ""';
    case 'days':
      return Number.isInteger(value) && Number(value) >= 1 && Number(value) <= 180
        ? undefined
        : 'must be a whole number of days from 1 to 180';
    case 'joinRole':
      return value === 'none' || value === 'admin' || value === 'member'
        ? undefined
        : 'must be "none", "admin" or "member"';
  }
}

function patchSettings(context: RouteContext): SimResponse {
  const body = parseJson(context.body);
  if (!isObject(body)) throw new ApiError(400, 'expected a JSON object of settings');
  const changes: Partial<Record<keyof TailnetSettings, JsonValue>> = {};
  for (const [name, kind] of Object.entries(FIELDS) as [keyof TailnetSettings, Kind][]) {
    const value = field(body, name);
    if (value === undefined) continue;
    const wrong = problem(kind, value);
    if (wrong) throw new ApiError(400, `${name}: ${wrong}`);
    changes[name] = value;
  }
  const names = Object.keys(changes);
  if (names.some((name) => name.startsWith('acls'))) requireScope(context, 'policy_file');
  if (names.some((name) => !name.startsWith('acls'))) requireScope(context, 'feature_settings');
  if (names.length) {
    context.state.settings = { ...context.state.settings, ...(changes as Partial<TailnetSettings>) };
    context.markApplied();
  }
  return json(200, context.state.settings);
}

export const settingsRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/tailnet/:tailnet/settings',
    scope: 'policy_file:read',
    handler: (context) => json(200, context.state.settings),
  },
  { method: 'PATCH', pattern: '/tailnet/:tailnet/settings', scope: '', handler: patchSettings },
];
