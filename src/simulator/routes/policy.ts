// The policy file: GET (HuJSON, JSON, or details), POST with If-Match, and validate. Quirks kept from
// the reference: the ETag is quoted; If-Match must match it exactly (quotes included) or be
// `"ts-default"` while the default policy is untouched, else 412; a write keeps comments only when
// sent as `application/hujson`; validate answers 200 even when the policy fails, with the failure in
// the body; `details=true` lists warnings as `null` when there are none, as Go encodes an empty list.
// The external-writer knob edits the stored policy between a GET and the next POST, as a colleague in
// the admin console would.
import { stripComments } from 'jsonc-parser';
import { ApiError, MESSAGES, json, rawJson, text, type SimResponse } from '../http.js';
import { parseJson, type JsonValue } from '../json.js';
import { PolicyRejection, checkPolicy, groupMemberWarnings, type CheckedPolicy } from '../policy-check.js';
import { runPolicyTests, type TestOutcome } from '../policy-tests.js';
import type { Route, RouteContext } from '../router.js';
import type { ExternalWriter } from '../types.js';

const HUJSON = 'application/hujson';
const jsonForms = new WeakMap<CheckedPolicy, string>();

function wantsJson(context: RouteContext): boolean {
  const accept = context.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes(HUJSON);
}

/** The stored policy in the form the request asks for, with its ETag. */
function policyAnswer(context: RouteContext): SimResponse {
  const policy = context.state.policy;
  const headers = { ETag: policy.etag };
  if (!wantsJson(context)) return text(200, policy.text, HUJSON, headers);
  const parsed = policy.parsed();
  let body = jsonForms.get(parsed);
  if (body === undefined) {
    body = JSON.stringify(parsed.value, null, 2);
    jsonForms.set(parsed, body);
  }
  return rawJson(200, body, headers);
}

function getPolicy(context: RouteContext): SimResponse {
  const policy = context.state.policy;
  let answer: SimResponse;
  if (context.query.get('details') === 'true') {
    const warnings = groupMemberWarnings(policy.parsed().groups, (login) => context.state.users.hasLogin(login));
    answer = json(
      200,
      {
        acl: Buffer.from(policy.text, 'utf8').toString('base64'),
        warnings: warnings.length ? warnings : null,
        errors: null,
      },
      { ETag: policy.etag },
    );
  } else {
    answer = policyAnswer(context);
  }
  policy.armExternalWriter();
  return answer;
}

function runExternalWriter(context: RouteContext): void {
  const policy = context.state.policy;
  const windowOpen = policy.takeArmedWindow();
  const knob = context.knobs.externalWriter;
  if (!windowOpen || !knob) return;
  const writer: ExternalWriter = typeof knob === 'function' || !('edit' in knob) ? { edit: knob } : knob;
  const edit = writer.edit;
  policy.store(typeof edit === 'function' ? edit(policy.text) : policy.text.split(edit.find).join(edit.replace));
  policy.externalEdits++;
  const remaining = (writer.times ?? 1) - 1;
  context.knobs.externalWriter = remaining > 0 ? { edit, times: remaining } : undefined;
}

/** Runs the tests and turns failures (and tests it cannot decide, unless told to pass them) into a rejection. */
function testRejection(
  context: RouteContext,
  checked: CheckedPolicy,
  tests: JsonValue | undefined,
): PolicyRejection | undefined {
  const outcome: TestOutcome = runPolicyTests(checked.value, checked.groups, tests, (login) =>
    context.state.users.byLogin(login),
  );
  if (outcome.failures.length)
    return new PolicyRejection('test(s) failed', [...outcome.failures, ...outcome.unevaluable]);
  if (outcome.unevaluable.length && context.knobs.unevaluableTests === 'fail') {
    return new PolicyRejection(
      'the simulator cannot evaluate some policy tests (see data); it will not pass them unchecked',
      outcome.unevaluable,
    );
  }
  return undefined;
}

function checked(text: string): CheckedPolicy {
  try {
    return checkPolicy(text);
  } catch (error) {
    if (error instanceof PolicyRejection) throw new ApiError(400, error.message, error.data);
    throw error;
  }
}

/**
 * The text a write stores. Comments are kept only when the body is sent as `application/hujson`
 * [spec]; any other content type is read as JSON and its comments are lost, so a client that leaves
 * the header out loses them here as it would against Tailscale.
 */
function storedText(context: RouteContext): string {
  const type = (context.headers['content-type'] ?? '').toLowerCase();
  return type === HUJSON || type.startsWith(`${HUJSON};`) ? context.body : stripComments(context.body);
}

function setPolicy(context: RouteContext): SimResponse {
  runExternalWriter(context);
  const policy = context.state.policy;
  const ifMatch = context.headers['if-match'];
  if (ifMatch !== undefined) {
    const matches = ifMatch === '"ts-default"' ? policy.isDefault : ifMatch === policy.etag;
    if (!matches) throw new ApiError(412, MESSAGES.preconditionFailed);
  }
  const candidate = checked(context.body);
  const failed = testRejection(context, candidate, candidate.value.tests);
  if (failed) throw new ApiError(400, failed.message, failed.data);
  const text = storedText(context);
  if (text !== policy.text || policy.isDefault) context.markApplied();
  policy.store(text, text === context.body ? candidate : undefined);
  return policyAnswer(context);
}

/** 200 always: a policy object runs its own tests; a JSON array runs those tests on the stored policy. */
function validatePolicy(context: RouteContext): SimResponse {
  const asJson = parseJson(context.body);
  let outcome: PolicyRejection | undefined;
  let candidate: CheckedPolicy | undefined;
  try {
    candidate = Array.isArray(asJson) ? context.state.policy.parsed() : checkPolicy(context.body);
    outcome = testRejection(context, candidate, Array.isArray(asJson) ? asJson : candidate.value.tests);
  } catch (error) {
    if (!(error instanceof PolicyRejection)) throw error;
    outcome = error;
  }
  if (outcome)
    return json(200, outcome.data ? { message: outcome.message, data: outcome.data } : { message: outcome.message });
  if (candidate && context.knobs.validateReportsWarnings) {
    const data = warningData(candidate, (login) => context.state.users.hasLogin(login));
    if (data.length) return json(200, { message: 'warning(s) found', data });
  }
  return context.knobs.validateSuccessBody === 'object' ? json(200, {}) : { status: 200, headers: {}, body: '' };
}

function warningData(
  candidate: CheckedPolicy,
  hasLogin: (login: string) => boolean,
): { user: string; warnings: string[] }[] {
  const data: { user: string; warnings: string[] }[] = [];
  for (const [name, members] of candidate.groups) {
    const warnings = members
      .filter((member) => !hasLogin(member))
      .map((member) => `user not found: ${JSON.stringify(member)}`);
    if (warnings.length) data.push({ user: name, warnings });
  }
  return data;
}

export const policyRoutes: Route[] = [
  { method: 'GET', pattern: '/tailnet/:tailnet/acl', scope: 'policy_file:read', handler: getPolicy },
  { method: 'POST', pattern: '/tailnet/:tailnet/acl', scope: 'policy_file', handler: setPolicy },
  { method: 'POST', pattern: '/tailnet/:tailnet/acl/validate', scope: 'policy_file:read', handler: validatePolicy },
];
