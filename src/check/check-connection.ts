// `check`: the vendor's "Save and test", and more. In order: get a token (OAuth client, workload
// identity), read users, read the policy, validate it, read the API key's own record, then judge the
// two writes from the token's scopes or the key's user's role. Every call is a read: check never
// writes. A refused credential, a wrong tailnet or an unreachable API stop the run, since every
// later call would fail the same way; a missing scope fails only its own item.
import { TailscaleError, type TailscaleClient } from '../tailscale/client.js';
import type { Credential } from '../domain/credential.js';
import { DEFAULT_BASE_URL, Transport, transportOptions, type TransportSettings } from '../tailscale/http.js';
import { tailnetIdOf } from '../tailscale/live.js';
import { clientCredentialsToken, workloadIdentityToken } from '../tailscale/oauth.js';
import type { TokenResponse } from '../tailscale/types.js';
import type { TailscaleUser } from '../domain/users.js';
import type { ValidateResult } from '../domain/policy.js';
import { explainFailure, type Explained } from './explain.js';
import { judgeWrite, type WriteBasis } from './infer-writes.js';
import { CheckItems } from './item-results.js';
import { policyHints, policySummary, readCredentialRecord, usersDetail } from './observations.js';
import type { CheckNeed, CheckReport, CheckedCredential } from './types.js';

export interface CheckOptions {
  /**
   * The credential the client was made with: its kind is reported, and an OAuth token is fetched with it once more to
   * read its scopes.
   */
  credential: Credential;
  /** The client's base URL and other transport settings, for that token request. */
  transport?: TransportSettings;
  /** Default `apply`: exit 0 only when both plan and apply could run. */
  need?: CheckNeed;
  /** Epoch milliseconds, for the key's expiry; default Date.now. */
  now?: () => number;
}

async function issueToken(credential: Credential, settings: TransportSettings): Promise<TokenResponse | undefined> {
  if (credential.kind === 'api-key') return undefined;
  const transport = new Transport(transportOptions(settings));
  try {
    if (credential.kind === 'oauth-client') {
      return await clientCredentialsToken(transport, credential.clientId, credential.clientSecret, credential.scopes);
    }
    return await workloadIdentityToken(transport, credential.clientId, await credential.idToken());
  } finally {
    await transport.close();
  }
}

function noIdToken(error: unknown): Explained {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    blame: 'credential',
    detail,
    cause: 'no ID token could be had for the workload identity exchange',
    fix: 'in GitHub Actions, give the job `permissions: id-token: write`; elsewhere set TAILSCALE_ID_TOKEN',
  };
}

/** OAuth client and workload identity: a token, whose answer lists the scopes it holds. */
async function tokenScopes(
  items: CheckItems,
  credential: Credential,
  settings: TransportSettings,
): Promise<string[] | undefined> {
  if (credential.kind === 'api-key') return undefined;
  try {
    const token = await issueToken(credential, settings);
    items.pass('authenticate', 'tested', 'an access token was issued');
    return token?.scope?.split(/\s+/).filter((s) => s !== '');
  } catch (error) {
    // Only the ID token itself can fail outside the API: the workflow could not get one.
    const explained =
      credential.kind === 'workload-identity' && !(error instanceof TailscaleError)
        ? noIdToken(error)
        : explainFailure(error, items.context());
    items.fail('authenticate', 'tested', explained);
    items.stop('the credential was refused');
    return undefined;
  }
}

function validationMessage(result: ValidateResult): string {
  const errors = result.data?.flatMap((entry) => entry.errors ?? []) ?? [];
  return result.message ?? (errors.length > 0 ? errors.join('; ') : 'refused without a message');
}

/** Reads users and the policy, and validates the policy: the tested part of the check. */
async function checkReads(items: CheckItems, client: TailscaleClient): Promise<TailscaleUser[] | undefined> {
  const users = await items.attempt('read-users', () => client.listUsers({ type: 'all' }));
  if (users) items.pass('read-users', 'tested', usersDetail(users));
  const policy = await items.attempt('read-policy', () => client.getPolicy());
  if (!policy) {
    items.skip('validate-policy', 'needs the policy text, which could not be read');
    return users;
  }
  const groups = items.parsePolicy(policy.text);
  if (groups) {
    items.pass('read-policy', 'tested', policySummary(policy, groups));
    items.hints.push(...policyHints(groups));
  }
  const verdict = await items.attempt('validate-policy', () => client.validatePolicy(policy.text));
  if (verdict?.ok)
    items.pass('validate-policy', 'tested', "the live policy passes Tailscale's validation and its tests");
  else if (verdict) items.invalidPolicy(validationMessage(verdict));
  return users;
}

export async function checkConnection(client: TailscaleClient, options: CheckOptions): Promise<CheckReport> {
  const { credential } = options;
  const settings = options.transport ?? {};
  const host = new URL(settings.baseUrl ?? DEFAULT_BASE_URL).host;
  const items = new CheckItems({
    credential: credential.kind,
    tailnet: client.tailnet,
    tailnetFrom: client.tailnetFrom,
    host,
  });
  const report: CheckedCredential = { kind: credential.kind };
  if (credential.kind !== 'api-key') report.id = credential.clientId;
  else if (client.apiKeyId !== undefined) report.id = client.apiKeyId;

  const scopes = await tokenScopes(items, credential, settings);
  if (scopes !== undefined) report.scopes = scopes;
  const users = await checkReads(items, client);
  const tailnetId = users === undefined ? undefined : tailnetIdOf(users);

  if (!items.stopped) {
    let basis: WriteBasis;
    if (credential.kind === 'api-key') {
      // The key's own record says whom it acts as; that user's role decides what it may write.
      const record = await readCredentialRecord(client, users, options.now ?? Date.now);
      Object.assign(report, record.credential);
      items.hints.push(...record.hints);
      basis = { kind: 'api-key', user: record.credential.user, scopes: record.credential.scopes };
      if (record.unknown !== undefined) basis.unknown = record.unknown;
    } else {
      basis = { kind: credential.kind, scopes };
    }
    items.judged('change-roles', judgeWrite('users', basis));
    items.judged('write-policy', judgeWrite('policy_file', basis));
  }

  const need = options.need ?? 'apply';
  const verdict = items.verdict();
  return {
    version: 1,
    tailnet: client.tailnet,
    ...(tailnetId === undefined ? {} : { tailnetId }),
    host,
    credential: report,
    items: items.list(tailnetId),
    hints: items.hints,
    canPlan: verdict.canPlan,
    canApply: verdict.canApply,
    need,
    ok: need === 'plan' ? verdict.canPlan : verdict.canApply,
  };
}
