// A refusal by the safety rails, carrying the plan it refused so the CLI and the action can show what
// would have been done next to why it was not.
import { RefusedError } from '../errors.js';
import type { RailRefusal } from '../plan/rails.js';
import type { Plan } from '../domain/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';

/** Thrown before the first write: `rail` is the first rail that refused, the message lists them all. */
export class ApplyRefusedError extends RefusedError {
  readonly plan: Plan;
  readonly refusals: readonly RailRefusal[];
  /** Under settings.policyFile: the policy file's part of the refused plan (its diff, an edit made outside git). */
  readonly policyFile: PolicyFilePlan | undefined;
  constructor(plan: Plan, refusals: readonly RailRefusal[], policyFile?: PolicyFilePlan) {
    const [first, ...others] = refusals;
    if (!first) throw new TypeError('ApplyRefusedError needs at least one refusal');
    const also = others.map((r) => `\nAlso refused by the ${r.rail} safety rail: ${r.message}`).join('');
    super(first.rail, `${first.message}${also}\nNothing was written.`);
    this.name = 'ApplyRefusedError';
    this.plan = plan;
    this.refusals = refusals;
    this.policyFile = policyFile;
  }
}
