// The items of a check and their state while it runs. A failed call is explained once, here, and
// blamed on the right item: a refused credential on `authenticate`, a wrong tailnet name on `tailnet`,
// a missing scope on the call's own item. Anything the server answered past authentication proves the
// credential and the tailnet good.
import { LivePolicyError, groupsOfLivePolicy } from '../tailscale/live.js';
import type { PolicyGroups } from '../policy/types.js';
import { explainFailure, type CallContext, type Explained } from './explain.js';
import type { WriteJudgement } from './infer-writes.js';
import type { CheckHint, CheckItem, CheckItemId, CheckMethod, CheckNeed } from './types.js';

interface Definition {
  title: string;
  scope?: string;
  neededBy: CheckNeed[];
}

const BOTH: CheckNeed[] = ['plan', 'apply'];

/** In the order they are reported. */
const DEFINITIONS: Record<CheckItemId, Definition> = {
  authenticate: { title: 'authenticate', neededBy: BOTH },
  tailnet: { title: 'find the tailnet', neededBy: BOTH },
  'read-users': { title: 'read users', scope: 'users:read', neededBy: BOTH },
  'read-policy': { title: 'read the policy file', scope: 'policy_file:read', neededBy: BOTH },
  'validate-policy': { title: 'validate the policy file', scope: 'policy_file:read', neededBy: ['apply'] },
  'change-roles': { title: 'change roles', scope: 'users', neededBy: ['apply'] },
  'write-policy': { title: 'write the policy file', scope: 'policy_file', neededBy: ['apply'] },
};

type Result = Pick<CheckItem, 'outcome' | 'method' | 'detail' | 'cause' | 'fix'>;

export class CheckItems {
  readonly hints: CheckHint[] = [];
  private readonly results = new Map<CheckItemId, Result>();
  private stopReason: string | undefined;

  constructor(private readonly call: Omit<CallContext, 'scope'>) {}

  get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  context(id?: CheckItemId): CallContext {
    const scope = id === undefined ? undefined : DEFINITIONS[id].scope;
    return scope === undefined ? { ...this.call } : { ...this.call, scope };
  }

  pass(id: CheckItemId, method: CheckMethod, detail: string): void {
    this.results.set(id, { outcome: 'ok', method, detail });
  }

  fail(id: CheckItemId, method: CheckMethod, explained: Explained): void {
    const result: Result = { outcome: 'fail', method, detail: explained.detail, cause: explained.cause };
    if (explained.fix !== undefined) result.fix = explained.fix;
    this.results.set(id, result);
  }

  /** Not tried, for a reason of its own (a stop gives its reason to every item left). */
  skip(id: CheckItemId, detail: string): void {
    if (!this.stopped) this.results.set(id, { outcome: 'skipped', method: 'none', detail });
  }

  /** Every item not decided yet is skipped for `reason`. */
  stop(reason: string): void {
    this.stopReason ??= reason;
  }

  /** The server got past authentication and found the tailnet: both are proven. */
  private reached(): void {
    if (!this.results.has('authenticate')) {
      const what = this.call.credential === 'api-key' ? 'the API key was accepted' : 'the access token was accepted';
      this.pass('authenticate', 'tested', what);
    }
    if (!this.results.has('tailnet')) {
      const which = this.call.tailnet === '-' ? "the credential's own tailnet (-)" : `"${this.call.tailnet}"`;
      this.pass('tailnet', 'tested', which);
    }
  }

  /** Runs a read for item `id`; on failure records the explanation where it belongs and returns undefined. */
  async attempt<T>(id: CheckItemId, read: () => Promise<T>): Promise<T | undefined> {
    if (this.stopped) return undefined;
    try {
      const value = await read();
      this.reached();
      return value;
    } catch (error) {
      const explained = explainFailure(error, this.context(id));
      switch (explained.blame) {
        case 'credential':
          this.fail('authenticate', 'tested', explained);
          this.stop('the credential was refused');
          break;
        case 'tailnet':
          if (!this.results.has('authenticate')) this.pass('authenticate', 'tested', 'the credential was accepted');
          this.fail('tailnet', 'tested', explained);
          this.stop('the tailnet name is wrong');
          break;
        case 'connection':
          this.fail(id, 'tested', explained);
          this.stop('the API could not be reached');
          break;
        case 'scope':
          this.reached();
          this.fail(id, 'tested', explained);
          break;
        default:
          this.fail(id, 'tested', explained);
      }
      return undefined;
    }
  }

  /** The policy's groups, or undefined (and read-policy failed) when the text cannot be read. */
  parsePolicy(text: string): PolicyGroups | undefined {
    try {
      return groupsOfLivePolicy(text);
    } catch (error) {
      if (!(error instanceof LivePolicyError)) throw error;
      this.fail('read-policy', 'tested', explainFailure(error, this.context('read-policy')));
      return undefined;
    }
  }

  invalidPolicy(message: string): void {
    this.fail('validate-policy', 'tested', {
      blame: 'other',
      detail: message,
      cause:
        "the live policy fails Tailscale's own validation, so every policy write would be refused until it is fixed",
      fix: 'fix the policy file in the admin console (Access controls); the message says what is wrong',
    });
  }

  judged(id: CheckItemId, judgement: WriteJudgement): void {
    const result: Result = { outcome: judgement.outcome, method: 'inferred', detail: judgement.detail };
    if (judgement.cause !== undefined) result.cause = judgement.cause;
    if (judgement.fix !== undefined) result.fix = judgement.fix;
    this.results.set(id, result);
  }

  private ok(id: CheckItemId): boolean {
    return this.results.get(id)?.outcome === 'ok';
  }

  verdict(): { canPlan: boolean; canApply: boolean } {
    const canPlan = (['authenticate', 'tailnet', 'read-users', 'read-policy'] as const).every((id) => this.ok(id));
    const canApply =
      canPlan && (['validate-policy', 'change-roles', 'write-policy'] as const).every((id) => this.ok(id));
    return { canPlan, canApply };
  }

  list(tailnetId: string | undefined): CheckItem[] {
    return (Object.keys(DEFINITIONS) as CheckItemId[]).map((id) => {
      const definition = DEFINITIONS[id];
      let result = this.results.get(id) ?? {
        outcome: 'skipped',
        method: 'none',
        detail: `not tried: ${this.stopReason ?? 'nothing to try it with'}`,
      };
      if (id === 'tailnet' && result.outcome === 'ok' && tailnetId !== undefined)
        result = { ...result, detail: `${result.detail}, ID ${tailnetId}` };
      const item: CheckItem = { id, title: definition.title, ...result, neededBy: [...definition.neededBy] };
      if (definition.scope !== undefined) item.scope = definition.scope;
      return item;
    });
  }
}
