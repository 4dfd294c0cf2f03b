// Users: list (filtered by type and role), get one, change a role. Role rules follow the reference's
// decisions: owner is read-only (promoting to it and changing it are 400), shared users belong to
// another tailnet (400), and an API key cannot change its own user's role (403, as the spec says).
import { ROLES, isRole } from '../../domain/users.js';
import { ApiError, MESSAGES, empty, json, rawJson, type SimResponse } from '../http.js';
import { isObject, parseJson } from '../json.js';
import type { Route, RouteContext } from '../router.js';
import type { UserTypeFilter } from '../users-store.js';

const TYPES: UserTypeFilter[] = ['member', 'shared', 'all'];

function listUsers(context: RouteContext): SimResponse {
  const type = context.query.get('type') ?? 'member';
  const role = context.query.get('role') ?? 'all';
  if (!(TYPES as string[]).includes(type))
    throw new ApiError(400, `invalid type ${JSON.stringify(type)}: use member, shared or all`);
  if (role !== 'all' && !isRole(role))
    throw new ApiError(400, `invalid role ${JSON.stringify(role)}: use all or one of ${ROLES.join(', ')}`);
  return rawJson(200, context.state.users.listBody(type as UserTypeFilter, role));
}

function getUser(context: RouteContext): SimResponse {
  const user = context.state.users.get(context.params.userId ?? '');
  if (!user) throw new ApiError(404, MESSAGES.notFound);
  return json(200, user);
}

function setRole(context: RouteContext): SimResponse {
  const users = context.state.users;
  const user = users.get(context.params.userId ?? '');
  if (!user) throw new ApiError(404, MESSAGES.notFound);
  const body = parseJson(context.body);
  if (!isObject(body) || typeof body.role !== 'string')
    throw new ApiError(400, 'expected a JSON body like {"role": "admin"}');
  const role = body.role;
  if (!isRole(role)) throw new ApiError(400, `invalid role ${JSON.stringify(role)}: use one of ${ROLES.join(', ')}`);
  if (user.type === 'shared')
    throw new ApiError(400, `cannot change the role of ${user.loginName}: a shared user belongs to another tailnet`);
  if (user.role === 'owner')
    throw new ApiError(
      400,
      `cannot change the role of the tailnet owner ${user.loginName}: ownership is transferred in the admin console`,
    );
  if (role === 'owner')
    throw new ApiError(400, `cannot make ${user.loginName} the owner: ownership is transferred in the admin console`);
  const refused = context.knobs.refuseRoleChangesOf ?? [];
  if (refused.some((who) => who === user.id || who.toLowerCase() === user.loginName.toLowerCase())) {
    throw new ApiError(403, MESSAGES.notEnoughPermissions);
  }
  if (context.actor?.kind === 'api-key' && context.actor.userId === user.id) {
    throw new ApiError(403, "user-based access tokens cannot update their own user's role");
  }
  if (user.role !== role) {
    users.update(user.id, { role });
    context.markApplied();
  }
  return empty();
}

export const userRoutes: Route[] = [
  { method: 'GET', pattern: '/tailnet/:tailnet/users', scope: 'users:read', handler: listUsers },
  { method: 'GET', pattern: '/users/:userId', scope: 'users:read', handler: getUser },
  { method: 'POST', pattern: '/users/:userId/role', scope: 'users', handler: setRole },
];
