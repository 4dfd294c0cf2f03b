// What the simulator checks in a policy before storing it, with Tailscale's error texts where they are
// known (reference/tailscale-api.md): HuJSON syntax (`line N, column M: …`), group members that are
// groups, autogroups, tags or `*` (refused, like the live service's "cannot be recursive"), and groups
// or tags used in rules but never defined (`src=tag not found: "tag:x"`). It is not Tailscale's full
// validator: rule fields it does not know are accepted as they are.
import { getNodeValue } from 'jsonc-parser';
import { HujsonSyntaxError, parseHujson } from '../policy/hujson.js';
import type { PolicyErrorData } from '../domain/policy.js';
import { isObject, type JsonObject, type JsonValue } from './json.js';

export class PolicyRejection extends Error {
  readonly data: PolicyErrorData[] | undefined;
  constructor(message: string, data?: PolicyErrorData[]) {
    super(message);
    this.name = 'PolicyRejection';
    this.data = data;
  }
}

export interface CheckedPolicy {
  value: JsonObject;
  /** Group name -> members, as written. */
  groups: Map<string, string[]>;
}

/** Parses and checks a policy; throws PolicyRejection with the message Tailscale would answer. */
export function checkPolicy(text: string): CheckedPolicy {
  const value = parsePolicyValue(text);
  const groups = checkGroups(value.groups);
  const tags = checkTagOwners(value.tagOwners, groups);
  checkReferences(value, groups, tags);
  return { value, groups };
}

export function parsePolicyValue(text: string): JsonObject {
  let root: unknown;
  try {
    root = getNodeValue(parseHujson(text).root);
  } catch (error) {
    if (error instanceof HujsonSyntaxError) throw new PolicyRejection(error.message);
    throw error;
  }
  if (!isObject(root)) throw new PolicyRejection('the policy file must be a JSON object');
  return root;
}

/** SCIM-synced groups (`group:name@domain`) live outside the file and are never checked as undefined. */
export function isScimGroup(name: string): boolean {
  return name.startsWith('group:') && name.includes('@');
}

function memberProblem(member: string): string | undefined {
  if (member.startsWith('group:')) return 'group members cannot be recursive';
  if (member.startsWith('autogroup:')) return 'autogroups cannot be group members';
  if (member.startsWith('tag:')) return 'tags cannot be group members';
  if (member === '*') return 'wildcards cannot be group members';
  if (member === '') return 'empty group member';
  return undefined;
}

function checkGroups(section: JsonValue | undefined): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  if (section === undefined) return groups;
  if (!isObject(section)) throw new PolicyRejection('groups: must be an object of "group:name": [members]');
  for (const [name, members] of Object.entries(section)) {
    if (!name.startsWith('group:'))
      throw new PolicyRejection(`groups: ${JSON.stringify(name)}: group names must start with "group:"`);
    if (!Array.isArray(members))
      throw new PolicyRejection(`groups[${JSON.stringify(name)}]: members must be a list of strings`);
    const list: string[] = [];
    for (const member of members) {
      if (typeof member !== 'string')
        throw new PolicyRejection(`groups[${JSON.stringify(name)}]: members must be a list of strings`);
      const problem = memberProblem(member);
      if (problem) throw new PolicyRejection(`groups[${JSON.stringify(name)}]: ${JSON.stringify(member)}: ${problem}`);
      list.push(member);
    }
    groups.set(name, list);
  }
  return groups;
}

function checkTagOwners(section: JsonValue | undefined, groups: Map<string, string[]>): Set<string> {
  const tags = new Set<string>();
  if (section === undefined) return tags;
  if (!isObject(section)) throw new PolicyRejection('tagOwners: must be an object of "tag:name": [owners]');
  for (const name of Object.keys(section)) {
    if (!name.startsWith('tag:'))
      throw new PolicyRejection(`tagOwners: ${JSON.stringify(name)}: tag names must start with "tag:"`);
    tags.add(name);
  }
  for (const [name, owners] of Object.entries(section)) {
    for (const owner of Array.isArray(owners) ? owners : []) {
      if (typeof owner !== 'string') continue;
      const missing = undefinedReference(owner, groups, tags);
      if (missing) throw new PolicyRejection(`tagOwners[${JSON.stringify(name)}]: ${missing}`);
    }
  }
  return tags;
}

function undefinedReference(selector: string, groups: Map<string, string[]>, tags: Set<string>): string | undefined {
  if (selector.startsWith('group:') && !isScimGroup(selector) && !groups.has(selector))
    return `group not found: ${JSON.stringify(selector)}`;
  if (selector.startsWith('tag:') && !tags.has(selector)) return `tag not found: ${JSON.stringify(selector)}`;
  return undefined;
}

/** `tag:prod:22,443` -> `tag:prod`; a bare host stays as it is. */
export function hostOfDestination(destination: string): string {
  const colon = destination.lastIndexOf(':');
  return colon > 0 && !destination.startsWith('[')
    ? destination.slice(0, colon)
    : destination.replace(/^\[(.*)\]:.*$/, '$1');
}

function checkReferences(value: JsonObject, groups: Map<string, string[]>, tags: Set<string>): void {
  const check = (field: string, selectors: JsonValue | undefined, withPorts: boolean): void => {
    if (!Array.isArray(selectors)) return;
    for (const selector of selectors) {
      if (typeof selector !== 'string') continue;
      const missing = undefinedReference(withPorts ? hostOfDestination(selector) : selector, groups, tags);
      if (missing) throw new PolicyRejection(`${field}=${missing}`);
    }
  };
  const rules = (key: string): JsonObject[] => {
    const section = value[key];
    if (section === undefined) return [];
    if (!Array.isArray(section)) throw new PolicyRejection(`${key}: must be a list of rules`);
    return section.filter(isObject);
  };
  for (const rule of rules('acls')) {
    check('src', rule.src ?? rule.users, false);
    check('dst', rule.dst ?? rule.ports, true);
  }
  for (const rule of rules('grants')) {
    check('src', rule.src, false);
    check('dst', rule.dst, false);
  }
  for (const rule of rules('ssh')) {
    check('src', rule.src, false);
    check('dst', rule.dst, false);
  }
}

/** Warnings Tailscale gives for group members who are not users: `"group:eng": user not found: "x"`. */
export function groupMemberWarnings(groups: Map<string, string[]>, hasLogin: (login: string) => boolean): string[] {
  const warnings: string[] = [];
  for (const [name, members] of groups) {
    for (const member of members) {
      if (!hasLogin(member)) warnings.push(`${JSON.stringify(name)}: user not found: ${JSON.stringify(member)}`);
    }
  }
  return warnings;
}
