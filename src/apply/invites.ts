// Invites for declared users who are not in the tailnet (settings.inviteMissingUsers). Tailscale takes
// them as one batch and answers for the batch, so they succeed or fail together; a failure does not
// stop the role changes or the policy write, and the next apply sees any invite that did go out as
// pending and does not send it twice.
import type { UserInviteChange } from '../domain/plan.js';
import { ClientUsageError, TailscaleError, type TailscaleClient } from '../tailscale/client.js';
import type { ApplyEvent } from '../domain/apply-report.js';

export interface InviteOutcome {
  applied: UserInviteChange[];
  failed: { change: UserInviteChange; error: string }[];
}

export async function sendInvites(
  client: TailscaleClient,
  invites: readonly UserInviteChange[],
  emit: (event: ApplyEvent) => void,
): Promise<InviteOutcome> {
  if (invites.length === 0) return { applied: [], failed: [] };
  try {
    await client.createUserInvites(invites.map((c) => ({ email: c.login, role: c.role })));
  } catch (error) {
    if (!(error instanceof TailscaleError || error instanceof ClientUsageError)) throw error;
    emit({ type: 'invites-failed', count: invites.length, error: error.message });
    return { applied: [], failed: invites.map((change) => ({ change, error: error.message })) };
  }
  emit({ type: 'invites-sent', changes: [...invites] });
  return { applied: [...invites], failed: [] };
}
