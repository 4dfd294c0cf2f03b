// Users, roles and invites (reference/tailscale-api.md, "Users").
import type { Role, TailscaleUser, UserStatus } from '../domain/users.js';
import type { ApiCaller, CallSpec } from './caller.js';
import { decode, isSuccess } from './decode-response.js';
import { jsonBody, segment } from './caller.js';
import { parseInviteList, parseUser, parseUserList } from './parse-api-objects.js';
import type { UserInvite, UserInviteRequest } from './types.js';
import { ClientUsageError } from './errors.js';

export interface UserFilter {
  /** Default `member`: shared users belong to other tailnets and are not ours to manage. */
  type?: 'member' | 'shared' | 'all';
  role?: Role | 'all';
}

/** A user by ID, or a user as listed (then errors name the login instead of the ID). */
export type UserRef = string | Pick<TailscaleUser, 'id' | 'loginName'>;

/** The ID for the path, and how errors name the user. */
function named(user: UserRef): { id: string; who: string } {
  return typeof user === 'string' ? { id: user, who: `user ${user}` } : { id: user.id, who: user.loginName };
}

function noSuchUser(id: string): Partial<Record<number, string>> {
  return { 404: `no user with ID "${id}" (deleted since it was listed?)` };
}

export async function listUsers(api: ApiCaller, filter: UserFilter = {}): Promise<TailscaleUser[]> {
  const query: Record<string, string> = { type: filter.type ?? 'member' };
  if (filter.role !== undefined) query.role = filter.role;
  return api.json(
    {
      operation: 'list users',
      method: 'GET',
      path: `${api.tailnetPath}/users`,
      query,
      idempotent: true,
      scopes: ['users:read'],
    },
    parseUserList,
  );
}

export async function getUser(api: ApiCaller, id: string): Promise<TailscaleUser> {
  return api.json(
    {
      operation: `read user ${id}`,
      method: 'GET',
      path: `/users/${segment(id)}`,
      idempotent: true,
      scopes: ['users:read'],
      byStatus: noSuchUser(id),
    },
    (json) => parseUser(json),
  );
}

/**
 * POST, not PATCH. Setting a role twice is harmless, so the transport may resend it after a network
 * error. Owner is never granted: ownership moves only in the admin console (a decision of the
 * reference page), and this is the last place that can refuse it.
 */
export async function setUserRole(api: ApiCaller, user: UserRef, role: Role): Promise<void> {
  const { id, who } = named(user);
  if (role === 'owner') {
    throw new ClientUsageError(
      `refusing to make ${who} the owner: ownership is transferred only in the Tailscale admin console`,
    );
  }
  const spec: CallSpec = {
    operation: `change the role of ${who} to ${role}`,
    method: 'POST',
    path: `/users/${segment(id)}/role`,
    ...jsonBody({ role }),
    idempotent: true,
    scopes: ['users'],
    byStatus: noSuchUser(id),
  };
  await api.ok(
    api.auth.kind === 'api-key'
      ? { ...spec, forbidden: 'also, an API key cannot change the role of the user who created it' }
      : spec,
  );
}

export type UserStatusChange = 'suspend' | 'restore' | 'approve';

/** The statuses in which each change has nothing left to do. */
const DONE: Record<UserStatusChange, readonly UserStatus[]> = {
  suspend: ['suspended'],
  restore: ['active', 'idle'],
  approve: ['active', 'idle'],
};

/**
 * `POST /users/{id}/suspend|restore|approve`. Retried like a role change (idempotent: true), since a
 * second copy asks for the state the first one made. Tailscale's answer to a change already made is
 * not documented beyond approve's no-op; our simulator answers 200. Should it be a 400 instead, the
 * user is read back, and a user already where the change would put them counts as done, so a resend
 * after a lost answer, or a user changed in the console meanwhile, is not reported as a failure.
 */
export async function changeUserStatus(api: ApiCaller, user: UserRef, change: UserStatusChange): Promise<void> {
  const { id, who } = named(user);
  const spec: CallSpec = {
    operation: `${change} ${who}`,
    method: 'POST',
    path: `/users/${segment(id)}/${change}`,
    idempotent: true,
    scopes: ['users'],
    byStatus: noSuchUser(id),
  };
  const sent =
    api.auth.kind === 'api-key'
      ? { ...spec, forbidden: `also, an API key cannot ${change} the user who created it` }
      : spec;
  const response = await api.send(sent);
  if (isSuccess(response.status)) return;
  if (response.status === 400 && (await alreadyDone(api, id, change))) return;
  throw api.failure(sent, response);
}

/** Whether the user is already where the change would put them; false when they cannot be read. */
async function alreadyDone(api: ApiCaller, id: string, change: UserStatusChange): Promise<boolean> {
  try {
    return DONE[change].includes((await getUser(api, id)).status);
  } catch {
    return false;
  }
}

/**
 * Not idempotent (a resent create could invite twice), so it is retried only after a 429. A success
 * without a body still sent the invites: it is not turned into a failure (which would report them as
 * not sent), and yields no invite details.
 */
export async function createUserInvites(api: ApiCaller, invites: readonly UserInviteRequest[]): Promise<UserInvite[]> {
  if (invites.length === 0) return [];
  const who = invites.length <= 3 ? invites.map((i) => i.email).join(', ') : `${invites.length} people`;
  const base: CallSpec = {
    operation: `invite ${who}`,
    method: 'POST',
    path: `${api.tailnetPath}/user-invites`,
    ...jsonBody(invites.map(({ email, role }) => ({ email, role }))),
    idempotent: false,
    scopes: ['users'],
    answerHoldsSecret: true,
  };
  const spec =
    api.auth.kind === 'api-key'
      ? base
      : {
          ...base,
          forbidden: 'invites need an inviting user, so only an API key (not an OAuth client) can create them',
        };
  const response = await api.ok(spec);
  if (response.text.trim() === '') return [];
  return decode(response, api.site(spec), api.transport.host, parseInviteList, true);
}

export async function listUserInvites(api: ApiCaller): Promise<UserInvite[]> {
  return api.json(
    {
      operation: 'list open user invites',
      method: 'GET',
      path: `${api.tailnetPath}/user-invites`,
      idempotent: true,
      scopes: ['users:read'],
      answerHoldsSecret: true,
    },
    parseInviteList,
  );
}
