// The entries of the file in the order and at the places they are written. Reading tolerates any
// shape (schema errors are reported separately), so the semantic checks can run on a file that also
// has schema errors and every problem is reported in one go.
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Pair, YAMLMap } from 'yaml';
import type { SourceRef } from '../domain/diagnostic.js';
import { deref, keyRef, keyText, nodeOffset, refAt, valueRef } from './yaml-source.js';
import type { YamlSource } from './yaml-source.js';

export interface UserEntry {
  /** The key as written. */
  login: string;
  at: SourceRef;
  /** The role as written (a string when the file is valid), or undefined when none was given. */
  role: unknown;
  roleAt: SourceRef;
  /** `until:` as written, and where its value is; absent when not written. */
  until?: { value: unknown; at: SourceRef };
  status?: { value: unknown; at: SourceRef };
}

export interface MemberEntry {
  login: unknown;
  at: SourceRef;
  /** `{ login, until }`: the end as written, and where its value is. */
  until?: { value: unknown; at: SourceRef };
}

export interface GroupEntry {
  /** The key as written, with or without `group:`. */
  key: string;
  at: SourceRef;
  /** The description as written (a string when the file is valid), or undefined when none was given. */
  description: unknown;
  members: MemberEntry[];
}

export interface SettingEntry {
  key: string;
  at: SourceRef;
}

export interface Entries {
  users: UserEntry[];
  groups: GroupEntry[];
  settings: SettingEntry[];
}

function pairsOf(source: YamlSource, node: unknown): Pair[] {
  const map = deref(source, node);
  return isMap(map) ? map.items.filter((pair): pair is Pair => isPair(pair)) : [];
}

function field(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair): pair is Pair => isPair(pair) && keyText(pair) === key);
}

function section(source: YamlSource, name: string): Pair[] {
  const top = deref(source, source.doc.contents);
  if (!isMap(top)) return [];
  return pairsOf(source, field(top, name)?.value);
}

/** A scalar's value; any other node as it is (a schema error, reported separately). */
function valueOf(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

function readUser(source: YamlSource, pair: Pair): UserEntry {
  const login = keyText(pair);
  const at = keyRef(source, pair);
  const value = deref(source, pair.value);
  if (isMap(value)) {
    const rolePair = field(value, 'role');
    const entry: UserEntry = rolePair
      ? { login, at, role: valueOf(deref(source, rolePair.value)), roleAt: valueRef(source, rolePair) }
      : { login, at, role: undefined, roleAt: at };
    const until = written(source, value, 'until');
    if (until) entry.until = until;
    const status = written(source, value, 'status');
    if (status) entry.status = status;
    return entry;
  }
  return { login, at, role: valueOf(value), roleAt: valueRef(source, pair) };
}

function written(source: YamlSource, map: YAMLMap, key: string): { value: unknown; at: SourceRef } | undefined {
  const pair = field(map, key);
  return pair ? { value: valueOf(deref(source, pair.value)), at: valueRef(source, pair) } : undefined;
}

function readGroup(source: YamlSource, pair: Pair): GroupEntry {
  const value = deref(source, pair.value);
  const list = isMap(value) ? deref(source, field(value, 'members')?.value) : value;
  const described = isMap(value) ? field(value, 'description') : undefined;
  const description = described ? valueOf(deref(source, described.value)) : undefined;
  const members: MemberEntry[] = [];
  if (isSeq(list)) {
    for (const item of list.items) {
      const member = deref(source, item);
      const at = refAt(source, nodeOffset(item) ?? nodeOffset(list) ?? 0);
      if (isMap(member)) {
        const entry: MemberEntry = { login: written(source, member, 'login')?.value, at };
        const until = written(source, member, 'until');
        if (until) entry.until = until;
        members.push(entry);
      } else members.push({ login: valueOf(member), at });
    }
  }
  return { key: keyText(pair), at: keyRef(source, pair), description, members };
}

export function readEntries(source: YamlSource): Entries {
  return {
    users: section(source, 'users').map((pair) => readUser(source, pair)),
    groups: section(source, 'groups').map((pair) => readGroup(source, pair)),
    settings: section(source, 'settings').map((pair) => ({ key: keyText(pair), at: keyRef(source, pair) })),
  };
}
