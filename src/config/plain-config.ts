// The quick path's reading of a config from the plain reader's tree: the schema check, the validated
// file and its entries, in one walk. For a valid file it gives what the precise path gets from ajv,
// toJS and read-entries.ts (same values, order and places). It only ever says "valid" or "not sure":
// every rule below is a whitelist, so whatever it does not know sends the file to the precise path,
// which reports the problems in its words. Checking the schema here rather than with ajv matters:
// compiling the schema takes longer than the whole quick path. test/config-quick.test.ts holds this
// file to the schema's rules and to the precise path on every valid file and on generated ones.
import schema from '../../schema/tailnet-access.schema.json' with { type: 'json' };
import type { SourceRef } from '../diagnostics.js';
import type { FileSettings } from './build-desired.js';
import { isGroupKey, isLogin } from './names.js';
import { readPlainYaml } from './plain-yaml.js';
import type { PlainMap, PlainNode, PlainPair, PlainPlace } from './plain-yaml.js';
import type { Entries, GroupEntry, MemberEntry, SettingEntry, UserEntry } from './read-entries.js';
import { isRole } from './types.js';
import type { Role, Settings } from './types.js';

export interface PlainConfig {
  /** The file's tailnet and settings, as the schema admits them. */
  config: FileSettings;
  entries: Entries;
}

type SettingValue = Settings[keyof Settings];

/** Thrown inside the walk at the first thing it is not sure of; never escapes readPlainConfig. */
class NotSure extends Error {}

const settingsSchema = schema.properties.settings.properties;

function oneOf(values: readonly string[]): (value: unknown) => value is string {
  return (value): value is string => typeof value === 'string' && values.includes(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

const SETTINGS = new Map<string, (value: unknown) => value is SettingValue>([
  ['unmanagedUsers', oneOf(settingsSchema.unmanagedUsers.enum)],
  ['unmanagedGroups', oneOf(settingsSchema.unmanagedGroups.enum)],
  ['maxChanges', isCount],
  ['policyFile', isText],
  ['onManualEdits', oneOf(settingsSchema.onManualEdits.enum)],
  ['inviteMissingUsers', (value): value is boolean => typeof value === 'boolean'],
]);

function scalar(node: PlainNode): unknown {
  if (node.kind === 'empty') return null;
  if (node.kind !== 'scalar') throw new NotSure();
  return node.value;
}

/** A map, or nothing for a section left empty (`users:` or `users: ~`), which the schema allows. */
function sectionPairs(node: PlainNode | undefined): PlainPair[] {
  if (node === undefined || node.kind === 'map') return node?.pairs ?? [];
  if (scalar(node) !== null) throw new NotSure();
  return [];
}

function onlyKeys(map: PlainMap, allowed: readonly string[]): void {
  if (map.pairs.some((pair) => !allowed.includes(pair.key))) throw new NotSure();
}

/** Where a pair's value is, or its key when the value was left empty (as valueRef does). */
function placeOf(pair: PlainPair): PlainPlace {
  return pair.value.kind === 'empty' ? pair : pair.value;
}

function field(map: PlainMap, key: string): PlainNode | undefined {
  return map.pairs.find((pair) => pair.key === key)?.value;
}

class PlainConfigReader {
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  private ref(place: PlainPlace): SourceRef {
    return { file: this.file, line: place.line, column: place.column };
  }

  read(root: PlainMap): PlainConfig {
    onlyKeys(root, ['version', 'tailnet', 'users', 'groups', 'settings']);
    const version = field(root, 'version');
    if (version === undefined || scalar(version) !== 1) throw new NotSure();
    const config: FileSettings = {};
    const tailnetNode = field(root, 'tailnet');
    if (tailnetNode !== undefined) {
      const tailnet = scalar(tailnetNode);
      if (!isText(tailnet)) throw new NotSure();
      config.tailnet = tailnet;
    }
    const entries: Entries = {
      users: this.users(field(root, 'users')),
      groups: this.groups(field(root, 'groups')),
      settings: this.settings(field(root, 'settings'), config),
    };
    return { config, entries };
  }

  private users(node: PlainNode | undefined): UserEntry[] {
    return sectionPairs(node).map((pair): UserEntry => {
      if (!isLogin(pair.key)) throw new NotSure();
      const at = this.ref(pair);
      const { value } = pair;
      if (value.kind !== 'map') return { login: pair.key, at, role: this.role(value), roleAt: this.ref(placeOf(pair)) };
      onlyKeys(value, ['role']);
      const [rolePair] = value.pairs;
      if (!rolePair) return { login: pair.key, at, role: undefined, roleAt: at };
      return { login: pair.key, at, role: this.role(rolePair.value), roleAt: this.ref(placeOf(rolePair)) };
    });
  }

  private role(node: PlainNode): Role {
    const role = scalar(node);
    if (!isRole(role)) throw new NotSure();
    return role;
  }

  private groups(node: PlainNode | undefined): GroupEntry[] {
    return sectionPairs(node).map((pair): GroupEntry => {
      if (!isGroupKey(pair.key)) throw new NotSure();
      const { value } = pair;
      let list: PlainNode | undefined = value;
      let description: unknown;
      if (value.kind === 'map') {
        onlyKeys(value, ['description', 'members']);
        list = field(value, 'members');
        const described = field(value, 'description');
        description = described && scalar(described);
        if (description !== undefined && typeof description !== 'string') throw new NotSure();
      }
      if (list?.kind !== 'seq') throw new NotSure();
      const members = list.items.map((item): MemberEntry => {
        if (item.kind !== 'scalar' || !isLogin(item.value)) throw new NotSure();
        return { login: item.value, at: this.ref(item) };
      });
      return { key: pair.key, at: this.ref(pair), description, members };
    });
  }

  private settings(node: PlainNode | undefined, config: FileSettings): SettingEntry[] {
    // Each value is stored under the key whose check it passed.
    const settings: Partial<Record<string, SettingValue>> = {};
    if (node !== undefined) config.settings = node.kind === 'map' ? settings : null;
    return sectionPairs(node).map((pair): SettingEntry => {
      const setting = scalar(pair.value);
      if (!SETTINGS.get(pair.key)?.(setting)) throw new NotSure();
      settings[pair.key] = setting;
      return { key: pair.key, at: this.ref(pair) };
    });
  }
}

/**
 * The validated file and its entries when the text is plain YAML and valid by the schema; undefined
 * when the precise path must read it. The text must not start with a byte-order mark.
 */
export function readPlainConfig(text: string, file: string): PlainConfig | undefined {
  const root = readPlainYaml(text);
  if (root?.kind !== 'map') return undefined;
  try {
    return new PlainConfigReader(file).read(root);
  } catch (error) {
    if (error instanceof NotSure) return undefined;
    throw error;
  }
}
