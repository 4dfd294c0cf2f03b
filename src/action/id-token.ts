// Workload identity: GitHub issues the job an OIDC ID token for the audience the Tailscale federated
// identity expects, and the client trades it for an access token. GitHub only offers the token to jobs
// granted `permissions: id-token: write`, and never to pull requests from forks.
import { UsageError } from '../errors.js';
import { getIDToken, IdTokenRequestError } from '../github/runner.js';
import { registerSecret } from '../secrets.js';

export const ID_TOKEN_PERMISSION_HINT = 'add `permissions: id-token: write` to the job (GitHub never gives one to pull requests from forks)';

/** A function the Tailscale client calls before each token exchange (ID tokens live minutes). */
export function idTokenSource(audience: string, env: Readonly<Record<string, string | undefined>> = process.env): () => Promise<string> {
  return async () => {
    // The runner's bearer token for its OIDC service is a credential too; it would only show if a
    // failed request echoed its headers, but then it must show as ***.
    registerSecret(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
    let token: string | undefined;
    try {
      token = await getIDToken(audience, env);
    } catch (error) {
      if (!(error instanceof IdTokenRequestError)) throw error;
      throw new UsageError(`GitHub did not issue an ID token for audience "${audience}": ${error.message}. Check the audience input; ${ID_TOKEN_PERMISSION_HINT}`);
    }
    if (token === undefined) {
      throw new UsageError(`the audience input asks for workload identity, but this job cannot get a GitHub ID token: ${ID_TOKEN_PERMISSION_HINT}`);
    }
    registerSecret(token);
    return token;
  };
}
