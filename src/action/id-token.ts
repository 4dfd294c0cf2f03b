// Workload identity: GitHub issues the job an OIDC ID token for the audience the Tailscale federated
// identity expects (core.getIDToken), and the client trades it for an access token. GitHub only
// offers the token to jobs granted `permissions: id-token: write`, and never to pull requests from forks.
import * as core from '@actions/core';
import { UsageError } from '../errors.js';
import { registerSecret } from '../secrets.js';

export const ID_TOKEN_PERMISSION_HINT =
  'add `permissions: id-token: write` to the job (GitHub never gives one to pull requests from forks)';

/** A function the Tailscale client calls before each token exchange (ID tokens live minutes). */
export function idTokenSource(audience: string): () => Promise<string> {
  return async () => {
    const { ACTIONS_ID_TOKEN_REQUEST_URL: serviceUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken } = process.env;
    if (!serviceUrl || !requestToken) {
      throw new UsageError(
        `the audience input asks for workload identity, but this job cannot get a GitHub ID token: ` +
          `${ID_TOKEN_PERMISSION_HINT}`,
      );
    }
    // The runner's bearer token for its OIDC service is a credential too; it would only show if a
    // failed request echoed its headers, but then it must show as ***.
    registerSecret(requestToken);
    let token: string;
    try {
      token = await core.getIDToken(audience);
    } catch (error) {
      // @actions/core words its failure over several lines; one is enough here.
      const reason = (error instanceof Error ? error.message : String(error))
        .replace(/\s+/g, ' ')
        .replace(/^Error message: /, '')
        .trim();
      throw new UsageError(
        `GitHub did not issue an ID token for audience "${audience}": ${reason}. Check the audience input; ` +
          `${ID_TOKEN_PERMISSION_HINT}`,
      );
    }
    registerSecret(token);
    return token;
  };
}
