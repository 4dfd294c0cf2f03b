// Validation against schema/tailnet-access.schema.json (the same schema editors use), and the
// reduction of ajv's raw errors to one finding per problem, each tied to a place in the YAML.
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import validateFile from './schema-validator.generated.js';
import { suggest } from './suggest.js';
import type { Settings } from './types.js';
import type { Role } from '../domain/users.js';

/** The file as the schema admits it (before names are normalised and defaults filled in). */
export interface ConfigFile {
  version: 1;
  tailnet?: string;
  users?: Record<string, Role | { role?: Role; until?: string; status?: 'active' | 'suspended' }> | null;
  groups?: Record<string, FileMember[] | { description?: string; members: FileMember[] }> | null;
  settings?: Partial<Settings> | null;
}

/** A group member: a login, or a login with the end of the membership. */
export type FileMember = string | { login: string; until?: string };

export type SchemaResult = { ok: true; value: ConfigFile } | { ok: false; findings: Finding[] };

/** One problem, after ajv's alternatives have been reduced to what the user most likely meant. */
export type Finding =
  | { kind: 'unknown-key'; path: string[]; key: string }
  | { kind: 'missing-key'; path: string[]; key: string }
  | { kind: 'wrong-value'; path: string[]; value: unknown; keyword: string };

// ajv's code for the schema, compiled ahead of time (see schema-validator-source.ts): compiling it on
// every run cost more than loading a small file. The schema test checks the schema itself against the
// JSON Schema meta-schema.
const validate = validateFile as unknown as ValidateFunction<ConfigFile>;

export function checkSchema(data: unknown): SchemaResult {
  if (validate(data)) return { ok: true, value: data };
  return { ok: false, findings: reduce(validate.errors ?? [], data) };
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(data: unknown, path: string[]): unknown {
  let value = data;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function pathKey(path: string[]): string {
  return JSON.stringify(path);
}

/** The keys of `path` and of every path above it. */
function withAncestors(path: string[]): string[] {
  return path.map((_, i) => pathKey(path.slice(0, i + 1))).concat(pathKey([]));
}

/**
 * ajv reports every branch of an `anyOf` (a user entry may be a role or a mapping; a group a list or
 * a mapping), so a typo in a role also yields "must be object". A branch that got past the type check
 * says what is really wrong, so a type error is dropped when anything more specific was found at the
 * same place, or anything at all inside it; the rest are merged into one "wrong value" finding per place.
 */
function reduce(errors: ErrorObject[], data: unknown): Finding[] {
  const specific: Finding[] = [];
  const wrongType = new Map<string, Finding>();
  for (const error of errors) {
    const path = decodePointer(error.instancePath);
    const value = valueAt(data, path);
    const params: Record<string, unknown> = error.params;
    switch (error.keyword) {
      case 'anyOf':
        break;
      case 'additionalProperties':
        specific.push({ kind: 'unknown-key', path, key: String(params['additionalProperty']) });
        break;
      case 'required':
        specific.push({ kind: 'missing-key', path, key: String(params['missingProperty']) });
        break;
      case 'type':
        wrongType.set(pathKey(path), { kind: 'wrong-value', path, value, keyword: 'type' });
        break;
      default:
        // `enum` is checked whatever the type, so `role: [admin]` fails it too: that is a wrong type.
        if (error.keyword === 'enum' && typeof value !== 'string' && !(path.length === 1 && path[0] === 'version')) {
          wrongType.set(pathKey(path), { kind: 'wrong-value', path, value, keyword: 'type' });
        } else specific.push({ kind: 'wrong-value', path, value, keyword: error.keyword });
    }
  }
  const coveredBySpecific = new Set(specific.flatMap((s) => withAncestors(s.path)));
  const aboveOthers = new Set(
    [...wrongType.values()].flatMap((t) => (t.path.length > 0 ? withAncestors(t.path.slice(0, -1)) : [])),
  );
  const types = [...wrongType.values()].filter(
    (t) => !coveredBySpecific.has(pathKey(t.path)) && !aboveOthers.has(pathKey(t.path)),
  );
  return [...withoutMisspeltRequired(specific), ...types];
}

// `{ member: [...] }` is one mistake, not two: drop "members is missing" when a misspelling of it is there.
function withoutMisspeltRequired(findings: Finding[]): Finding[] {
  const unknown = findings.filter((f) => f.kind === 'unknown-key');
  return findings.filter(
    (f) =>
      f.kind !== 'missing-key' ||
      !unknown.some((u) => pathKey(u.path) === pathKey(f.path) && suggest(u.key, [f.key]) === f.key),
  );
}
