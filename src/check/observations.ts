// What check says about what it read: counts of users, the policy's groups, and the API key's own
// record (its expiry, and the user it acts as, whose role decides what it may write).
import { shortEtag, type PolicyDocument } from '../domain/policy.js';
import { isScimGroup } from '../policy/groups.js';
import type { PolicyGroups } from '../policy/types.js';
import type { TailscaleClient } from '../tailscale/client.js';
import type { TailscaleUser } from '../domain/users.js';
import { explainFailure } from './explain.js';
import type { CheckHint, CheckedCredential } from './types.js';

/** Warn this long before an API key expires: a scheduled drift run should see it coming. */
export const KEY_EXPIRY_WARNING_DAYS = 14;
const READABLE_KEY =
  'use an API key made by a member of this tailnet (its record names its user), or an OAuth client, whose token ' +
  'lists its scopes';
const DAY_MS = 24 * 60 * 60 * 1000;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function usersDetail(users: readonly TailscaleUser[]): string {
  const members = users.filter((u) => u.type === 'member').length;
  const shared = users.length - members;
  return `${plural(members, 'member user')}${shared > 0 ? `, ${shared} shared from other tailnets` : ''}`;
}

export function policySummary(policy: PolicyDocument, groups: PolicyGroups): string {
  const scim = groups.groups.filter((g) => isScimGroup(g.name)).length;
  const count = plural(groups.groups.length, 'group');
  return `${count}${scim > 0 ? ` (${scim} from SCIM)` : ''}, ETag ${shortEtag(policy.etag)}`;
}

export function policyHints(groups: PolicyGroups): CheckHint[] {
  const hints: CheckHint[] = [];
  if (groups.groups.length === 0) {
    const where = groups.present ? 'has an empty "groups" section' : 'has no "groups" section';
    hints.push({
      code: 'policy.no-groups',
      message:
        `the policy file ${where}, so import will list no groups; that is fine: the first apply that creates a ` +
        `group adds them`,
    });
  }
  const scim = groups.groups.filter((g) => isScimGroup(g.name));
  if (scim.length > 0) {
    hints.push({
      code: 'policy.scim-groups',
      message:
        `${plural(scim.length, 'group')} (${scim.map((g) => g.name).join(', ')}) ` +
        `${scim.length === 1 ? 'comes' : 'come'} from SCIM: tailnet-access reads ` +
        `${scim.length === 1 ? 'it' : 'them'} but never changes ${scim.length === 1 ? 'it' : 'them'}`,
    });
  }
  return hints;
}

export interface CredentialRecord {
  credential: Partial<CheckedCredential>;
  hints: CheckHint[];
  /** Why the key's user (and so what it may write) is not known, and what to do about it. */
  unknown?: { because: string; fix: string };
}

function expiryHint(expires: string, now: number): CheckHint | undefined {
  const at = Date.parse(expires);
  if (Number.isNaN(at)) return undefined;
  const days = Math.floor((at - now) / DAY_MS);
  if (days >= KEY_EXPIRY_WARNING_DAYS) return undefined;
  const when = days < 1 ? 'within a day' : `in ${plural(days, 'day')}`;
  return {
    code: 'key.expires-soon',
    message:
      `the API key expires ${when} (${expires}); plan and apply fail after that: make a new key, or use an OAuth ` +
      `client, which does not expire`,
  };
}

/** The API key's record: who made it (so what it may write) and when it expires. Never throws for an API failure. */
export async function readCredentialRecord(
  client: TailscaleClient,
  users: readonly TailscaleUser[] | undefined,
  now: () => number,
): Promise<CredentialRecord> {
  const keyId = client.apiKeyId;
  if (keyId === undefined) {
    const because = 'the key is not of the form tskey-api-<id>-…, so its record cannot be looked up';
    return { credential: {}, hints: [], unknown: { because, fix: READABLE_KEY } };
  }
  let key;
  try {
    key = await client.getKey(keyId);
  } catch (error) {
    const explained = explainFailure(error, {
      credential: 'api-key',
      scope: 'api_access_tokens:read',
      tailnet: client.tailnet,
      host: '',
    });
    return {
      credential: {},
      hints: [],
      unknown: { because: `the key's record could not be read (${explained.detail})`, fix: READABLE_KEY },
    };
  }
  const credential: Partial<CheckedCredential> = {};
  const hints: CheckHint[] = [];
  if (key.expires !== undefined) {
    credential.expires = key.expires;
    const hint = expiryHint(key.expires, now());
    if (hint) hints.push(hint);
  }
  if (key.scopes !== undefined) credential.scopes = key.scopes;
  const user = key.userId === undefined ? undefined : users?.find((u) => u.id === key.userId);
  if (user === undefined) {
    const unknown =
      users === undefined
        ? {
            because: "the key's user is not known: the users could not be read",
            fix: 'make reading users work first (see above)',
          }
        : { because: `the key's user (${key.userId ?? 'none'}) is not among the tailnet's users`, fix: READABLE_KEY };
    return { credential, hints, unknown };
  }
  credential.user = { login: user.loginName, role: user.role };
  // The owner's role is never changed anyway; for anyone else the file could ask for what the key cannot do.
  if (user.role !== 'owner') {
    hints.push({
      code: 'key.own-role',
      message:
        `the API key acts as ${user.loginName}, and Tailscale refuses a key's change to its own user's role: keep ` +
        `${user.loginName} at ${user.role} in the file (or list them as {})`,
    });
  }
  return { credential, hints };
}
