// The read side every command shares: users and policy, fetched in parallel, and the groups read out
// of the policy text. A policy that cannot be parsed stops everything: we never guess at groups.
import type { LiveTailnet } from '../plan/diff.js';
import { PolicyShapeError } from '../policy/groups.js';
import { HujsonSyntaxError } from '../policy/hujson.js';
import { readLivePolicyGroups } from '../policy/live-groups.js';
import type { PolicyGroups } from '../policy/types.js';
import type { PolicyDocument } from '../domain/policy.js';
import type { TailscaleUser } from '../domain/users.js';
import type { TailscaleClient } from './client.js';

/** The tailnet's policy file could not be read as HuJSON, or its groups are malformed. */
export class LivePolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LivePolicyError';
  }
}

/** Only its groups are read: Tailscale accepted the rest (see src/policy/live-groups.ts). */
export function groupsOfLivePolicy(text: string): PolicyGroups {
  try {
    return readLivePolicyGroups(text);
  } catch (error) {
    if (error instanceof HujsonSyntaxError || error instanceof PolicyShapeError) {
      throw new LivePolicyError(
        `the tailnet's policy file cannot be read: ${error.message}. Fix it in the admin console before planning.`,
      );
    }
    throw error;
  }
}

export interface ReadLiveOptions {
  /** Also read the open user invites (for `settings.inviteMissingUsers`). */
  invites?: boolean;
}

/** Invites need an inviting user: only a user's own API key has one. */
export const INVITES_NEED_API_KEY =
  'Tailscale creates invites only for a user, so this needs a user-owned API key (TAILSCALE_API_KEY), not an ' +
  'OAuth client or workload identity';

/**
 * Which tailnet `-` (or a legacy name) turned out to be: the `tailnetId` the member users carry. It
 * comes with the user list every plan reads anyway, so knowing it costs no request.
 */
export function tailnetIdOf(users: readonly TailscaleUser[]): string | undefined {
  return users.find((user) => user.type === 'member' && user.tailnetId)?.tailnetId || undefined;
}

/**
 * The two reads every plan starts with, already on their way: users, and the policy with its groups
 * read out as soon as it arrives. Started before the file is parsed (src/engine/reads-first.ts), so
 * the round trip overlaps the parse. A rejection waits for whoever awaits it; until then it is marked
 * handled, so reads abandoned for a file error never surface as an unhandled rejection.
 */
export interface StartedRead {
  users: Promise<TailscaleUser[]>;
  policy: Promise<{ policy: PolicyDocument; groups: PolicyGroups }>;
}

/** Marks a promise handled without changing what awaiting it gives. */
export function quietly<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

export function startLiveRead(client: TailscaleClient): StartedRead {
  return {
    users: quietly(client.listUsers()),
    policy: quietly(client.getPolicy().then((policy) => ({ policy, groups: groupsOfLivePolicy(policy.text) }))),
  };
}

/** Users and policy (and the open invites when asked), from `started` when the reads were started early. */
export async function readLive(
  client: TailscaleClient,
  options: ReadLiveOptions = {},
  started?: StartedRead,
): Promise<LiveTailnet> {
  const canInvite = client.credentialKind === 'api-key';
  // The policy's groups are read as soon as it arrives, while the (larger) user list is still on its way.
  const reads = started ?? startLiveRead(client);
  const [users, { policy, groups }, pending] = await Promise.all([
    reads.users,
    reads.policy,
    options.invites && canInvite ? client.listUserInvites() : Promise.resolve(undefined),
  ]);
  const live: LiveTailnet = { tailnet: client.tailnet, users, policy, groups };
  const tailnetId = tailnetIdOf(users);
  if (tailnetId !== undefined) live.tailnetId = tailnetId;
  if (options.invites) {
    live.invites = canInvite
      ? { pending: (pending ?? []).flatMap((invite) => (invite.email ? [invite.email] : [])) }
      : { pending: [], blocked: INVITES_NEED_API_KEY };
  }
  return live;
}
