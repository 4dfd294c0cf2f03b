// Three-valued matching of policy selectors for the simulator's test runner (policy-tests.ts).
// A selector either surely matches, surely does not, or cannot be decided from what the simulator
// knows: it has users, groups, tags and host aliases, but no devices, so it cannot tell which IP a
// user's or a tagged device has; it only knows that Tailscale numbers devices inside 100.64.0.0/10
// and fd7a:115c:a1e0::/48. "Unknown" carries the reason, which validate reports to the caller.
import type { Role, UserType } from '../domain/users.js';

export type Match = 'yes' | 'no' | { unknown: string };

export function unknown(reason: string): Match {
  return { unknown: reason };
}

/** Yes when any is yes; else unknown when any is unknown; else no. */
export function anyOf(matches: Iterable<Match>): Match {
  let undecided: Match | undefined;
  for (const match of matches) {
    if (match === 'yes') return 'yes';
    if (match !== 'no') undecided ??= match;
  }
  return undecided ?? 'no';
}

/** No when any is no; else unknown when any is unknown; else yes. */
export function allOf(matches: Iterable<Match>): Match {
  let undecided: Match | undefined;
  for (const match of matches) {
    if (match === 'no') return 'no';
    if (match !== 'yes') undecided ??= match;
  }
  return undecided ?? 'yes';
}

export interface UserFacts {
  role: Role;
  type: UserType;
}

/** What the runner knows of the policy and the tailnet. */
export interface MatchContext {
  /** Group name -> lowercased member logins. */
  groups: Map<string, Set<string>>;
  hosts: Map<string, string>;
  user(login: string): UserFacts | undefined;
}

/** Who a test's `src` stands for. */
export type Principal =
  { kind: 'user'; login: string } | { kind: 'group'; name: string } | { kind: 'tag'; name: string };

/** A test destination's host. */
export type Target = { kind: 'user'; login: string } | { kind: 'tag'; name: string } | { kind: 'ip'; ip: string };

const ROLE_AUTOGROUPS = new Set(['owner', 'admin', 'it-admin', 'network-admin', 'billing-admin', 'auditor']);

export function isLogin(selector: string): boolean {
  return selector.includes('@') && !/^[a-z]+:/.test(selector);
}

function inGroup(context: MatchContext, group: string, login: string): Match {
  const members = context.groups.get(group);
  if (!members) return unknown(`${group} is not defined in the file (a SCIM group?), so its members are unknown`);
  return members.has(login.toLowerCase()) ? 'yes' : 'no';
}

/** Autogroups that describe users: member, shared and the role autogroups. */
function userAutogroup(context: MatchContext, name: string, login: string): Match | undefined {
  const facts = context.user(login);
  if (name === 'member') return facts?.type === 'member' ? 'yes' : 'no';
  if (name === 'shared') return facts?.type === 'shared' ? 'yes' : 'no';
  if (ROLE_AUTOGROUPS.has(name)) return facts?.role === name ? 'yes' : 'no';
  return undefined;
}

export function matchSource(context: MatchContext, principal: Principal, selector: string): Match {
  if (selector === '*' || selector === 'autogroup:danger-all') return 'yes';
  if (principal.kind === 'group') {
    if (selector === principal.name) return 'yes';
    if (selector.startsWith('tag:') || selector === 'autogroup:tagged') return 'no';
    return unknown(
      `the test's src is ${principal.name}, and whether its members match ${selector} depends on who they are`,
    );
  }
  if (principal.kind === 'tag') {
    if (selector.startsWith('tag:')) return selector === principal.name ? 'yes' : 'no';
    if (selector === 'autogroup:tagged') return 'yes';
    if (isLogin(selector) || selector.startsWith('group:') || selector.startsWith('autogroup:')) return 'no';
    return deviceAddressIn(
      context.hosts.get(selector) ?? selector,
      `src ${JSON.stringify(selector)} is an address, and the simulator has no device addresses`,
    );
  }
  const login = principal.login;
  if (isLogin(selector)) return selector.toLowerCase() === login.toLowerCase() ? 'yes' : 'no';
  if (selector.startsWith('group:')) return inGroup(context, selector, login);
  if (selector.startsWith('tag:') || selector === 'autogroup:tagged') return 'no';
  if (selector.startsWith('autogroup:')) {
    return (
      userAutogroup(context, selector.slice('autogroup:'.length), login) ??
      unknown(`${selector} is not evaluated by the simulator`)
    );
  }
  return deviceAddressIn(
    context.hosts.get(selector) ?? selector,
    `src ${JSON.stringify(selector)} is an address, and the simulator has no device addresses`,
  );
}

/** Where Tailscale numbers devices: 100.64.0.0/10 (and fd7a:115c:a1e0::/48 for IPv6). */
const CGNAT = 100 * 2 ** 24 + 64 * 2 ** 16;
const CGNAT_PREFIX = 10;

/** No when an address or range cannot hold a tailnet device's address, else unknown with the reason. */
function deviceAddressIn(range: string, reason: string): Match {
  const [base = '', bits] = range.split('/');
  const network = ipv4(base);
  if (network !== undefined) {
    const prefix = Math.min(bits === undefined ? 32 : Number(bits), CGNAT_PREFIX);
    const size = 2 ** (32 - prefix);
    return Math.floor(network / size) === Math.floor(CGNAT / size) ? unknown(reason) : 'no';
  }
  if (/^[0-9a-fA-F:]+$/.test(base) && base.includes(':')) {
    // A range of 16 bits or more outside fd7a::/16 cannot reach into fd7a:115c:a1e0::/48.
    const prefix = bits === undefined ? 128 : Number(bits);
    if (prefix >= 16 && !base.toLowerCase().startsWith('fd7a:')) return 'no';
  }
  return unknown(reason);
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

function addressMatch(selector: string, ip: string): Match {
  if (selector === ip) return 'yes';
  const [base, bits] = selector.split('/');
  const address = ipv4(ip);
  const network = base === undefined ? undefined : ipv4(base);
  if (address === undefined || network === undefined) {
    return isAddressLike(selector)
      ? unknown(`${JSON.stringify(selector)} against ${ip}: only IPv4 ranges are compared`)
      : unknown(`dst ${JSON.stringify(selector)} is not evaluated by the simulator`);
  }
  const prefix = bits === undefined ? 32 : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32)
    return unknown(`${JSON.stringify(selector)} is not a valid range`);
  const size = 2 ** (32 - prefix);
  return Math.floor(address / size) === Math.floor(network / size) ? 'yes' : 'no';
}

function isAddressLike(selector: string): boolean {
  return /^[0-9a-fA-F.:/]+$/.test(selector) && /[.:]/.test(selector);
}

export function matchDestinationHost(
  context: MatchContext,
  principal: Principal,
  selector: string,
  target: Target,
): Match {
  if (selector === '*') return 'yes';
  const resolved = context.hosts.get(selector) ?? selector;
  const onAddress = (ip: string): Match =>
    deviceAddressIn(ip, `dst ${selector} against the address ${ip}: the simulator has no device addresses`);
  const onUser = (decide: (login: string) => Match): Match => {
    if (target.kind === 'user') return decide(target.login);
    return target.kind === 'tag' ? 'no' : onAddress(target.ip);
  };
  if (resolved.startsWith('tag:')) {
    if (target.kind === 'tag') return resolved === target.name ? 'yes' : 'no';
    return target.kind === 'user' ? 'no' : onAddress(target.ip);
  }
  if (resolved === 'autogroup:tagged') {
    if (target.kind === 'tag') return 'yes';
    return target.kind === 'user' ? 'no' : onAddress(target.ip);
  }
  if (isLogin(resolved)) return onUser((login) => (login.toLowerCase() === resolved.toLowerCase() ? 'yes' : 'no'));
  if (resolved.startsWith('group:')) return onUser((login) => inGroup(context, resolved, login));
  if (resolved === 'autogroup:self') {
    if (principal.kind !== 'user')
      return target.kind === 'tag' ? 'no' : unknown('autogroup:self with a src that is not a user');
    return onUser((login) => (login.toLowerCase() === principal.login.toLowerCase() ? 'yes' : 'no'));
  }
  if (resolved.startsWith('autogroup:')) {
    const name = resolved.slice('autogroup:'.length);
    if (name === 'internet')
      return target.kind === 'ip' ? unknown('autogroup:internet is not evaluated by the simulator') : 'no';
    return onUser(
      (login) => userAutogroup(context, name, login) ?? unknown(`${resolved} is not evaluated by the simulator`),
    );
  }
  if (target.kind === 'ip') return addressMatch(resolved, target.ip);
  if (resolved.startsWith('ipset:')) return unknown(`${resolved} is not evaluated by the simulator`);
  return deviceAddressIn(
    resolved,
    `dst ${JSON.stringify(selector)} is an address, and the simulator has no device addresses`,
  );
}

/** `*`, `22`, `80,443`, `1000-2000` against one port. */
export function portsMatch(spec: string, port: number): boolean {
  if (spec === '*') return true;
  return spec.split(',').some((part) => {
    const [low, high] = part.split('-');
    const from = Number(low);
    const to = high === undefined ? from : Number(high);
    return port >= from && port <= to;
  });
}

const PROTOCOLS: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'ipv6-icmp' };

export function normalizeProto(proto: string): string {
  const lower = proto.toLowerCase();
  return PROTOCOLS[lower] ?? lower;
}

/** A rule without a protocol covers all; a test without one asks for TCP or UDP (Tailscale's docs). */
export function protoMatch(ruleProto: string | undefined, testProto: string | undefined): Match {
  if (ruleProto === undefined || ruleProto === '' || ruleProto === '*') return 'yes';
  const rule = normalizeProto(ruleProto);
  if (testProto === undefined) return rule === 'tcp' || rule === 'udp' ? 'yes' : 'no';
  return rule === normalizeProto(testProto) ? 'yes' : 'no';
}
