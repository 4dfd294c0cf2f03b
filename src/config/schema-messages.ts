// Schema findings in the user's words, placed on the key or value they concern.
import { isMap, isSeq } from 'yaml';
import type { Pair } from 'yaml';
import type { Diagnostic, SourceRef } from '../domain/diagnostic.js';
import { groupName } from './names.js';
import type { Finding } from './schema-check.js';
import { didYouMean } from './suggest.js';
import { ROLES } from '../domain/users.js';
import { deref, keyRef, nodeOffset, pairByKey, refAt, valueRef } from './yaml-source.js';
import type { YamlSource } from './yaml-source.js';

const TOP_KEYS = ['version', 'tailnet', 'users', 'groups', 'settings'];
const SETTINGS: Record<string, string> = {
  unmanagedUsers: 'one of ignore, report, demote',
  unmanagedGroups: 'one of keep, remove',
  maxChanges: 'a whole number, 0 or more',
  policyFile: 'a path relative to this file',
  onManualEdits: 'one of warn, fail',
  onUnreviewedChanges: 'one of warn, fail',
  inviteMissingUsers: 'true or false',
};
const ENUMS: Record<string, readonly string[]> = {
  unmanagedUsers: ['ignore', 'report', 'demote'],
  unmanagedGroups: ['keep', 'remove'],
  onManualEdits: ['warn', 'fail'],
  onUnreviewedChanges: ['warn', 'fail'],
};
const LOGIN_EXAMPLE = 'like alice@example.com (or alice@github)';

interface Place {
  pair?: Pair;
  node: unknown;
}

// Follows a JSON-pointer path of the validated data back through the YAML (and its aliases).
function locate(source: YamlSource, path: string[]): Place {
  let place: Place = { node: source.doc.contents };
  for (const segment of path) {
    const container = deref(source, place.node);
    if (isMap(container)) {
      const pair = pairByKey(container, segment);
      if (!pair) return place;
      place = { pair, node: pair.value };
    } else if (isSeq(container)) {
      place = { node: container.items[Number(segment)] };
    } else return place;
  }
  return place;
}

function keyPlace(source: YamlSource, place: Place): SourceRef {
  return place.pair ? keyRef(source, place.pair) : refAt(source, nodeOffset(place.node) ?? 0);
}

function valuePlace(source: YamlSource, place: Place): SourceRef {
  return place.pair ? valueRef(source, place.pair) : refAt(source, nodeOffset(place.node) ?? 0);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return String(value);
}

/** What the thing at `path` is, in words ("the role of alice@example.com"). */
function subject(path: string[]): string {
  const [section, name = '', field, index] = path;
  if (path.length <= 1) return section ?? 'the file';
  if (section === 'users') return field === 'role' ? `the role of ${name}` : `the entry for ${name}`;
  if (section === 'groups') {
    const group = groupName(name);
    if (field === undefined) return group;
    if (field === 'description') return `the description of ${group}`;
    if (field === 'members' && index === undefined) return `the members of ${group}`;
    return `a member of ${group}`;
  }
  return `${section}.${name}`;
}

function expected(path: string[]): string {
  const [section, name = '', field, index] = path;
  if (section === 'tailnet') return 'a tailnet name, or "-" for the credential\'s own tailnet';
  if (section === 'users') {
    if (path.length === 1) return 'a mapping of login to role';
    if (field === 'role') return `one of ${ROLES.join(', ')}`;
    return 'a role (admin, member, …) or a mapping like { role: admin }';
  }
  if (section === 'groups') {
    if (path.length === 1) return 'a mapping of group name to members';
    if (field === undefined) return 'a list of logins, or a mapping with members (and a description)';
    if (field === 'description') return 'text';
    if (field === 'members' && index === undefined) return 'a list of logins';
    return `a login ${LOGIN_EXAMPLE}`;
  }
  if (section === 'settings') return path.length === 1 ? 'a mapping of settings' : (SETTINGS[name] ?? 'a setting');
  return 'a valid value';
}

function unknownKey(path: string[], key: string): string {
  const [section, name = ''] = path;
  const quoted = JSON.stringify(key);
  if (section === undefined)
    return `unknown key ${quoted}${didYouMean(key, TOP_KEYS) || `; expected one of ${TOP_KEYS.join(', ')}`}`;
  if (section === 'settings') {
    return (
      `unknown setting ` +
      `${quoted}${didYouMean(key, Object.keys(SETTINGS)) || `; expected one of ${Object.keys(SETTINGS).join(', ')}`}`
    );
  }
  if (section === 'users' && path.length === 1) {
    if (key.startsWith('group:')) return `${quoted} is a group, not a login; groups go under groups:`;
    return `${quoted} is not a login; users are listed by login, ${LOGIN_EXAMPLE}`;
  }
  if (section === 'users')
    return `unknown key ${quoted} for ${name}${didYouMean(key, ['role']) || '; the only key here is role'}`;
  if (section === 'groups' && path.length === 1) return badGroupName(key);
  return (
    `unknown key ${quoted} in ` +
    `${groupName(name)}${didYouMean(key, ['members', 'description']) || '; expected members and description'}`
  );
}

function badGroupName(key: string): string {
  if (/^group:[^@]+@/.test(key)) {
    return (
      `${key} is a SCIM group: groups named group:name@domain are synced from your identity provider and never ` +
      `written by tailnet-access; remove it here`
    );
  }
  if (key.startsWith('autogroup:'))
    return `${key} is built in and follows user roles; it cannot be defined here (set roles under users:)`;
  if (key.startsWith('tag:'))
    return `${key} is a tag, not a group; tags are defined under tagOwners in the policy file`;
  return (
    `invalid group name ${JSON.stringify(key)}: use letters, digits, "-", "_" and "." (the "group:" prefix is ` +
    `optional)`
  );
}

function badMember(group: string, member: string): string {
  const refusal = `cannot be a member of ${group}`;
  if (member.startsWith('group:')) {
    return (
      `${member} ${refusal}: Tailscale refuses groups inside groups ("group members cannot be recursive"); list its ` +
      `members instead`
    );
  }
  if (member.startsWith('autogroup:'))
    return `${member} ${refusal}: groups hold user logins, and autogroups are not users`;
  if (member.startsWith('tag:'))
    return `${member} ${refusal}: groups hold user logins, and tags name devices, not users`;
  if (member === '*') return `"*" ${refusal}: groups hold user logins; list the users`;
  return `${JSON.stringify(member)} in ${group} is not a login; members are logins ${LOGIN_EXAMPLE}`;
}

function wrongValue(path: string[], value: unknown, keyword: string): string {
  const [section, name = ''] = path;
  const text = typeof value === 'string' ? value : '';
  if (section === 'version') {
    const hint = value === '1' ? ' (write it without quotes)' : '';
    const shown =
      typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' ? String(value) : describe(value);
    return `unsupported version ${shown}; this tool knows version 1${hint}`;
  }
  if (keyword === 'enum' && section === 'users') {
    return (
      `unknown role ${JSON.stringify(text)} for ${name}; expected one of ` +
      `${ROLES.join(', ')}${didYouMean(text, ROLES)}`
    );
  }
  if (keyword === 'enum' && section === 'settings') {
    return (
      `unknown value ${JSON.stringify(text)} for settings.${name}; expected ` +
      `${SETTINGS[name] ?? 'another value'}${didYouMean(text, ENUMS[name] ?? [])}`
    );
  }
  if (keyword === 'pattern' && section === 'groups') return badMember(groupName(name), text);
  if (value === null && section === 'users' && path.length === 2) {
    return `no role for ${name}: write a role (admin, member, …), or {} to list the user and leave the role alone`;
  }
  if (value === null && section === 'groups' && path.length === 2)
    return `${groupName(name)} is empty; write [] for a group with no members`;
  if (value === null || value === '') return `${subject(path)} is empty; write ${expected(path)}`;
  return `${subject(path)} must be ${expected(path)}, not ${describe(value)}`;
}

export function findingDiagnostic(source: YamlSource, finding: Finding): Diagnostic {
  const place = locate(source, finding.path);
  const error = (at: SourceRef, message: string): Diagnostic => ({ ...at, severity: 'error', code: 'schema', message });
  switch (finding.kind) {
    case 'unknown-key': {
      const container = deref(source, place.node);
      const pair = isMap(container) ? pairByKey(container, finding.key) : undefined;
      const at = pair ? keyRef(source, pair) : keyPlace(source, place);
      return { ...error(at, unknownKey(finding.path, finding.key)), code: 'unknown-key' };
    }
    case 'missing-key': {
      const message =
        finding.key === 'version'
          ? 'missing "version: 1" (the format version of this file)'
          : `${subject(finding.path)} has no ${finding.key}; write "${finding.key}: []" if it is meant to be empty`;
      return error(keyPlace(source, place), message);
    }
    case 'wrong-value':
      return error(valuePlace(source, place), wrongValue(finding.path, finding.value, finding.keyword));
  }
}
