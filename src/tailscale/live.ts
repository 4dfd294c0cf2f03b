// The read side every command shares: users and policy, fetched in parallel, and the groups read out
// of the policy text. A policy that cannot be parsed stops everything: we never guess at groups.
import type { LiveTailnet } from '../plan/diff.js';
import { PolicyShapeError, readPolicyGroups } from '../policy/groups.js';
import { HujsonSyntaxError } from '../policy/hujson.js';
import type { PolicyGroups } from '../policy/types.js';
import type { TailscaleClient } from './client.js';

/** The tailnet's policy file could not be read as HuJSON, or its groups are malformed. */
export class LivePolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LivePolicyError';
  }
}

export function groupsOfLivePolicy(text: string): PolicyGroups {
  try {
    return readPolicyGroups(text);
  } catch (error) {
    if (error instanceof HujsonSyntaxError || error instanceof PolicyShapeError) {
      throw new LivePolicyError(`the tailnet's policy file cannot be read: ${error.message}. Fix it in the admin console before planning.`);
    }
    throw error;
  }
}

export async function readLive(client: TailscaleClient): Promise<LiveTailnet> {
  const { users, policy } = await client.readLiveState();
  return { tailnet: client.tailnet, users, policy, groups: groupsOfLivePolicy(policy.text) };
}
