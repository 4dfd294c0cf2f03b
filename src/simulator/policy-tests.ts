// Runs a policy's `tests` the simple but honest way. Each `accept`/`deny` destination is checked
// against every network rule (`acls` with action accept, and `grants` that carry `ip`), with groups
// expanded from the file and role/member autogroups from the simulator's users. A destination is
// allowed when some rule surely matches, dropped when every rule surely does not, and otherwise
// "cannot be evaluated" (addresses of devices, posture, `via`, ipsets…): those are reported, never
// silently passed. `sshTests` are not evaluated at all, and say so.
import type { PolicyErrorData } from '../domain/policy.js';
import { isObject, isStringArray, type JsonObject, type JsonValue } from './json.js';
import { PolicyRejection, hostOfDestination } from './policy-check.js';
import {
  allOf,
  anyOf,
  isLogin,
  matchDestinationHost,
  matchSource,
  portsMatch,
  protoMatch,
  unknown,
  type Match,
  type MatchContext,
  type Principal,
  type Target,
  type UserFacts,
} from './policy-match.js';

export interface TestOutcome {
  /** Tests that ran and gave the wrong answer, in Tailscale's `want: …, got: …` form. */
  failures: PolicyErrorData[];
  /** Tests the simulator could not decide, with the reason. */
  unevaluable: PolicyErrorData[];
}

interface PolicyTest {
  src: string;
  proto?: string;
  accept: string[];
  deny: string[];
}

interface Destination {
  target: Target;
  port: number;
}

export function runPolicyTests(
  policy: JsonObject,
  groups: Map<string, string[]>,
  tests: JsonValue | undefined,
  user: (login: string) => UserFacts | undefined,
): TestOutcome {
  const outcome: TestOutcome = { failures: [], unevaluable: [] };
  const context = matchContext(policy, groups, user);
  for (const test of readTests(tests)) {
    const errors: string[] = [];
    const undecided: string[] = [];
    const principal = principalOf(test.src);
    const check = (address: string, want: 'Accept' | 'Drop'): void => {
      const destination = parseDestination(context, address);
      const verdict =
        typeof destination === 'string'
          ? unknown(destination)
          : principal
            ? allowed(policy, context, principal, test, destination)
            : unknown(`src ${JSON.stringify(test.src)} is an address, and the simulator has no device addresses`);
      if (verdict === 'yes' || verdict === 'no') {
        const got = verdict === 'yes' ? 'Accept' : 'Drop';
        if (got !== want) errors.push(`address ${JSON.stringify(address)}: want: ${want}, got: ${got}`);
      } else {
        undecided.push(
          `address ${JSON.stringify(address)}: the simulator cannot evaluate this test: ${verdict.unknown}`,
        );
      }
    };
    for (const address of test.accept) check(address, 'Accept');
    for (const address of test.deny) check(address, 'Drop');
    if (errors.length) outcome.failures.push({ user: test.src, errors });
    if (undecided.length) outcome.unevaluable.push({ user: test.src, errors: undecided });
  }
  const sshTests = policy.sshTests;
  if (Array.isArray(sshTests) && sshTests.length > 0) {
    outcome.unevaluable.push({ user: 'sshTests', errors: ['sshTests are not evaluated by the simulator'] });
  }
  return outcome;
}

function matchContext(
  policy: JsonObject,
  groups: Map<string, string[]>,
  user: (login: string) => UserFacts | undefined,
): MatchContext {
  const lowered = new Map<string, Set<string>>();
  for (const [name, members] of groups) lowered.set(name, new Set(members.map((member) => member.toLowerCase())));
  const hosts = new Map<string, string>();
  if (isObject(policy.hosts))
    for (const [name, address] of Object.entries(policy.hosts))
      if (typeof address === 'string') hosts.set(name, address);
  return { groups: lowered, hosts, user };
}

function readTests(tests: JsonValue | undefined): PolicyTest[] {
  if (tests === undefined || tests === null) return [];
  if (!Array.isArray(tests)) throw new PolicyRejection('tests: must be a list of tests');
  return tests.map((test, index) => {
    const where = `tests[${index}]`;
    if (!isObject(test) || typeof test.src !== 'string' || test.src === '')
      throw new PolicyRejection(`${where}: "src" must be a user, group, tag or host`);
    const list = (key: 'accept' | 'deny'): string[] => {
      const value = test[key];
      if (value === undefined || value === null) return [];
      if (!isStringArray(value))
        throw new PolicyRejection(`${where}: ${JSON.stringify(key)} must be a list of "host:port"`);
      return value;
    };
    const proto = test.proto;
    return {
      src: test.src,
      proto: typeof proto === 'string' ? proto : undefined,
      accept: list('accept'),
      deny: list('deny'),
    };
  });
}

function principalOf(src: string): Principal | undefined {
  if (src.startsWith('tag:')) return { kind: 'tag', name: src };
  if (src.startsWith('group:')) return { kind: 'group', name: src };
  if (isLogin(src)) return { kind: 'user', login: src };
  return undefined;
}

/** `host:port`, with the host a tag, a login, a host alias or an IP; a string explains why not. */
function parseDestination(context: MatchContext, address: string): Destination | string {
  const host = hostOfDestination(address);
  const portText = address.slice(address.lastIndexOf(':') + 1);
  if (host === address || !/^\d+$/.test(portText))
    return `${JSON.stringify(address)} is not of the form host:port with one numeric port`;
  const port = Number(portText);
  const resolved = context.hosts.get(host) ?? host;
  if (resolved.startsWith('tag:')) return { target: { kind: 'tag', name: resolved }, port };
  if (isLogin(resolved)) return { target: { kind: 'user', login: resolved }, port };
  if (/^[0-9a-fA-F.:]+$/.test(resolved) && /[.:]/.test(resolved)) return { target: { kind: 'ip', ip: resolved }, port };
  return `destination host ${JSON.stringify(host)} is not a tag, user, host alias or single address`;
}

function allowed(
  policy: JsonObject,
  context: MatchContext,
  principal: Principal,
  test: PolicyTest,
  destination: Destination,
): Match {
  const verdicts: Match[] = [];
  const sources = (selectors: JsonValue | undefined): Match =>
    anyOf(strings(selectors).map((selector) => matchSource(context, principal, selector)));
  const posture = (rule: JsonObject): Match | undefined =>
    rule.srcPosture === undefined
      ? undefined
      : unknown('a rule with srcPosture: posture conditions are not evaluated by the simulator');
  for (const rule of objects(policy.acls)) {
    if (rule.action !== 'accept') continue;
    const proto = typeof rule.proto === 'string' ? rule.proto : undefined;
    const dst = anyOf(
      strings(rule.dst ?? rule.ports).map((entry) => {
        const host = hostOfDestination(entry);
        if (!portsMatch(entry.slice(entry.lastIndexOf(':') + 1), destination.port)) return 'no';
        return matchDestinationHost(context, principal, host, destination.target);
      }),
    );
    verdicts.push(allOf([posture(rule) ?? 'yes', sources(rule.src ?? rule.users), protoMatch(proto, test.proto), dst]));
  }
  for (const grant of objects(policy.grants)) {
    if (!Array.isArray(grant.ip)) continue;
    const via =
      grant.via === undefined ? 'yes' : unknown('a grant with via: routing is not evaluated by the simulator');
    const ip = anyOf(strings(grant.ip).map((entry) => ipMatch(entry, test.proto, destination.port)));
    const dst = anyOf(
      strings(grant.dst).map((host) => matchDestinationHost(context, principal, host, destination.target)),
    );
    verdicts.push(allOf([posture(grant) ?? 'yes', via, sources(grant.src), ip, dst]));
  }
  return anyOf(verdicts);
}

/** A grant's `ip` entry: `*`, `22`, `80-90`, `tcp:443`, `udp:*`. */
function ipMatch(entry: string, testProto: string | undefined, port: number): Match {
  const colon = entry.indexOf(':');
  if (colon === -1) return portsMatch(entry, port) ? 'yes' : 'no';
  if (protoMatch(entry.slice(0, colon), testProto) === 'no') return 'no';
  return portsMatch(entry.slice(colon + 1), port) ? 'yes' : 'no';
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function objects(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}
