// Suspend, restore and approve: `POST /users/{id}/suspend|restore|approve`, 200 with no body [spec].
// The rules are the role route's, for the same reasons: a shared user belongs to another tailnet
// (400); the owner cannot be suspended (400, as promoting to or demoting the owner is); a user-based
// API key cannot act on its own user (403, as the spec says for each of the three). Asking for the
// state a user is already in is a 200 that changes nothing, as the spec says of approve; so a
// request resent after a lost answer finds its work done instead of an error.
import { ApiError, MESSAGES, empty, type SimResponse } from '../http.js';
import type { Route, RouteContext } from '../router.js';

type StatusAction = 'suspend' | 'restore' | 'approve';

/** Tailscale's `active`: seen in the last 28 days (the User schema's description of the status). */
const ACTIVE_WINDOW_MS = 28 * 24 * 60 * 60 * 1000;

function changeStatus(action: StatusAction, context: RouteContext): SimResponse {
  const users = context.state.users;
  const user = users.get(context.params.userId ?? '');
  if (!user) throw new ApiError(404, MESSAGES.notFound);
  if (user.type === 'shared')
    throw new ApiError(400, `cannot ${action} ${user.loginName}: a shared user belongs to another tailnet`);
  if (action === 'suspend' && user.role === 'owner') {
    throw new ApiError(
      400,
      `cannot suspend the tailnet owner ${user.loginName}: transfer ownership in the admin console first`,
    );
  }
  const refused = context.knobs.refuseStatusChangesOf ?? [];
  if (refused.some((who) => who === user.id || who.toLowerCase() === user.loginName.toLowerCase())) {
    throw new ApiError(403, MESSAGES.notEnoughPermissions);
  }
  if (context.actor?.kind === 'api-key' && context.actor.userId === user.id) {
    throw new ApiError(403, `user-based access tokens cannot ${action} their own user`);
  }
  const changed =
    action === 'suspend'
      ? users.suspend(user.id)
      : action === 'restore'
        ? users.restore(user.id, context.clock.now() - ACTIVE_WINDOW_MS)
        : users.approve(user.id);
  if (changed) context.markApplied();
  return empty();
}

export const userStatusRoutes: Route[] = (['suspend', 'restore', 'approve'] as const).map((action) => ({
  method: 'POST',
  pattern: `/users/:userId/${action}`,
  scope: 'users',
  handler: (context: RouteContext) => changeStatus(action, context),
}));
