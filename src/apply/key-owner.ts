// Which user the credential acts as, for the own-key rail. An API key acts as the user who made it;
// its record (GET /keys/{id}) names that user. OAuth clients and workload identities act as no user.
import type { KeyOwner } from '../plan/rails.js';
import { TailscaleApiError } from '../tailscale/client.js';
import type { TailscaleClient } from '../tailscale/client.js';

/**
 * A refusal to show the record (403: the key lacks the scope; 404: the real API hides it) leaves the
 * owner unknown, and the rail decides what that means. Any other failure (network, 5xx after the
 * client's retries) is thrown: nothing has been written yet, and guessing is not worth a lockout.
 */
export async function findKeyOwner(client: TailscaleClient): Promise<KeyOwner> {
  if (client.credentialKind !== 'api-key') return { kind: 'none' };
  const keyId = client.apiKeyId;
  if (keyId === undefined)
    return { kind: 'unknown', reason: 'the key is not of the form tskey-api-<id>-…, so its id is unknown' };
  try {
    const key = await client.getKey(keyId);
    // A key without a user was made by a trust credential: there is no own user to protect.
    return key.userId === undefined ? { kind: 'none' } : { kind: 'user', userId: key.userId };
  } catch (error) {
    if (error instanceof TailscaleApiError && (error.status === 403 || error.status === 404)) {
      return {
        kind: 'unknown',
        reason:
          `reading the key's record ${error.method} ${error.path} was answered ${error.status} ${error.apiMessage ?? ''}`.trim(),
      };
    }
    throw error;
  }
}
