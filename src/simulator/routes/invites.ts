// User invites. The body of a create is a JSON array; every entry is checked before any invite is
// made, so a bad entry never leaves half the batch created. Creating and cancelling need an inviting
// user, so only API keys (user-owned) may do it [spec]. Scopes are not documented for invites; the
// simulator asks for `users:read` to read and `users` to write.
import { isRole } from '../../domain/users.js';
import type { Role } from '../../domain/users.js';
import { ApiError, MESSAGES, empty, json, type SimResponse } from '../http.js';
import { isObject, parseJson } from '../json.js';
import type { Route, RouteContext } from '../router.js';

const USER_OWNED_ONLY = 'only permitted for user-owned keys, because invites require an inviting user';

function requireUserOwned(context: RouteContext): string {
  const userId = context.actor?.kind === 'api-key' ? context.actor.userId : undefined;
  if (userId === undefined) throw new ApiError(403, USER_OWNED_ONLY);
  return userId;
}

function createInvites(context: RouteContext): SimResponse {
  const inviterId = requireUserOwned(context);
  const body = parseJson(context.body);
  if (!Array.isArray(body))
    throw new ApiError(
      400,
      'expected a JSON array of invites, e.g. [{"role": "member", "email": "alice@example.com"}]',
    );
  const requests = body.map((entry, index): { role: Exclude<Role, 'owner'>; email: string | undefined } => {
    if (!isObject(entry)) throw new ApiError(400, `invite ${index}: expected an object with "role" and "email"`);
    const role = entry.role ?? 'member';
    if (!isRole(role)) throw new ApiError(400, `invite ${index}: invalid role ${JSON.stringify(role)}`);
    if (role === 'owner') throw new ApiError(400, `invite ${index}: an invite cannot make an owner`);
    const email = entry.email;
    if (email !== undefined && typeof email !== 'string')
      throw new ApiError(400, `invite ${index}: "email" must be a string`);
    if (email && context.state.users.hasLogin(email))
      throw new ApiError(400, `invite ${index}: ${email} is already a user of this tailnet`);
    return { role, email: email || undefined };
  });
  const now = context.clock.iso();
  const created = requests.map(({ role, email }) => context.state.invites.create(role, email, inviterId, now));
  if (created.length > 0) context.markApplied();
  return json(200, created);
}

function getInvite(context: RouteContext): SimResponse {
  const invite = context.state.invites.get(context.params.inviteId ?? '');
  if (!invite) throw new ApiError(404, MESSAGES.notFound);
  return json(200, invite);
}

function deleteInvite(context: RouteContext): SimResponse {
  requireUserOwned(context);
  if (!context.state.invites.delete(context.params.inviteId ?? '')) throw new ApiError(404, MESSAGES.notFound);
  context.markApplied();
  return empty();
}

export const inviteRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/tailnet/:tailnet/user-invites',
    scope: 'users:read',
    handler: (context) => json(200, context.state.invites.list()),
  },
  { method: 'POST', pattern: '/tailnet/:tailnet/user-invites', scope: 'users', handler: createInvites },
  { method: 'GET', pattern: '/user-invites/:inviteId', scope: 'users:read', handler: getInvite },
  { method: 'DELETE', pattern: '/user-invites/:inviteId', scope: 'users', handler: deleteInvite },
];
