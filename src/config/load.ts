// tailnet-access.yaml -> Desired. parseConfig is pure (text in, data out); loadConfig adds the read.
// Every problem in the file is collected and thrown together, each with its file:line:column.
import nodePath from 'node:path';
import { isMap, isScalar } from 'yaml';
import { DiagnosticsError } from '../diagnostics.js';
import type { Diagnostic } from '../domain/diagnostic.js';
import { readTextFile, UnreadableFileError } from '../files/read-regular.js';
import { buildDesired } from './build-desired.js';
import type { FileSettings } from './build-desired.js';
import { readEntries } from './read-entries.js';
import type { Entries } from './read-entries.js';
import { checkSchema } from './schema-check.js';
import { findingDiagnostic } from './schema-messages.js';
import { checkEntries } from './semantic-checks.js';
import type { Desired } from './types.js';
import { deref, DUPLICATE_KEY, errorAt, expandedSize, nodeOffset, parseYaml } from './yaml-source.js';
import type { YamlSource } from './yaml-source.js';

/**
 * Far above any real tailnet (10,000 users in 1,000 groups take under 1 MB); checked before parsing, so a wrong file
 * fails fast.
 */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

/**
 * How far aliases may multiply (yaml's `maxAliasCount`): reusing a member list in a few dozen groups
 * is fine, while a "billion laughs" file is refused after about a thousand expansions, not after
 * exhausting memory.
 */
export const MAX_ALIAS_COUNT = 1000;

/** The most values a file may stand for with its aliases expanded (a 5 MB file without aliases has far fewer). */
export const MAX_EXPANDED_VALUES = 1_000_000;

export interface LoadedConfig {
  desired: Desired;
  warnings: Diagnostic[];
  /**
   * The moment to plan for (ms since the epoch): `--now`, or the action's `now` input. Absent: the clock at planning.
   */
  now?: number;
}

/** Thrown when the config file cannot be read at all (as opposed to DiagnosticsError: read, but wrong). */
export class ConfigFileError extends Error {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigFileError';
    this.path = path;
  }
}

function byOrder(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.column - b.column;
}

function fail(diagnostics: Diagnostic[]): never {
  throw new DiagnosticsError([...diagnostics].sort(byOrder));
}

function tooLarge(file: string, bytes: number | undefined): Diagnostic {
  // A /proc file or one still growing has no size to quote, only the cap it went past.
  const size =
    bytes === undefined ? '' : ` ${bytes.toLocaleString('en-US')} bytes (${(bytes / (1024 * 1024)).toFixed(1)} MB),`;
  const message =
    `the file is${size} over the ${MAX_CONFIG_BYTES / (1024 * 1024)} MB limit for a tailnet-access file; is this ` +
    `the right file?`;
  return { file, line: 1, column: 1, severity: 'error', code: 'config.too-large', message };
}

function describeTop(source: YamlSource): string | undefined {
  const top = deref(source, source.doc.contents);
  if (isMap(top)) return undefined;
  if (top === null || (isScalar(top) && top.value === null)) return 'the file is empty; it needs at least "version: 1"';
  const found = isScalar(top) ? `the text ${JSON.stringify(String(top.value))}` : 'a list';
  return `the top level must be a mapping (version:, users:, groups:, settings:), not ${found}`;
}

function refuseAliases(source: YamlSource, reason: string): never {
  const [first] = source.aliases.keys();
  const message = `refusing to expand the YAML aliases: ${reason}; write the entries out instead`;
  return fail([errorAt(source, nodeOffset(first) ?? 0, 'yaml.alias', message)]);
}

// toJS expands aliases; yaml stops with a ReferenceError once they multiply past maxAliasCount.
function toData(source: YamlSource): unknown {
  let data: unknown;
  try {
    data = source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    refuseAliases(source, `they multiply into too much data (more than ${MAX_ALIAS_COUNT} copies)`);
  }
  if (source.aliases.size > 0 && expandedSize(source) > MAX_EXPANDED_VALUES) {
    refuseAliases(source, `they stand for more than ${MAX_EXPANDED_VALUES.toLocaleString('en-US')} values`);
  }
  return data;
}

function loaded(file: string, config: FileSettings, entries: Entries, warnings: Diagnostic[]): LoadedConfig {
  return { desired: buildDesired(file, config, entries), warnings: warnings.sort(byOrder) };
}

/**
 * Parses the text of a tailnet-access.yaml. `file` is used in every position. Throws DiagnosticsError
 * with all errors found; returns the Desired state and the warnings otherwise.
 */
export function parseConfig(text: string, file: string): LoadedConfig {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) fail([tooLarge(file, bytes)]);
  // Editors do not count a byte-order mark as a column, so it must not shift line 1.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const { source, errors } = parseYaml(body, file);
  // A duplicate key leaves a readable document (the later value counts), so the rest of the file is
  // still checked and every problem is reported in one go; any other YAML error stops here.
  if (errors.some((e) => e.code !== DUPLICATE_KEY)) fail(errors);
  const top = describeTop(source);
  if (top !== undefined) fail([errorAt(source, nodeOffset(source.doc.contents) ?? 0, 'config.top-level', top)]);
  const schema = checkSchema(toData(source));
  const entries = readEntries(source);
  const semantic = checkEntries(entries);
  const schemaErrors = schema.ok ? [] : schema.findings.map((f) => findingDiagnostic(source, f));
  if (errors.length > 0 || !schema.ok || semantic.errors.length > 0)
    fail([...errors, ...schemaErrors, ...semantic.errors]);
  return loaded(file, schema.value, entries, semantic.warnings);
}

/** Where a missing file was looked for, when the name shown does not say: `(there is no x.yaml in /repo)`. */
function lookedIn(shown: string, absolute: string): string {
  return nodePath.isAbsolute(shown)
    ? ''
    : ` (there is no ${nodePath.basename(absolute)} in ${nodePath.dirname(absolute)})`;
}

function unreadable(path: string, absolute: string, error: UnreadableFileError): ConfigFileError {
  const hint =
    error.reason === 'missing'
      ? `${lookedIn(path, absolute)}; pass the right path with --config (or the action's config input), or write ` +
        `one with "tailnet-access import"`
      : error.reason === 'directory' || error.reason === 'not-regular'
        ? '; give the path of the tailnet-access.yaml file'
        : '';
  return new ConfigFileError(path, `${error.describe(path)}${hint}`, { cause: error });
}

/**
 * The text of the file at `path`, not parsed yet: a regular file only, never more than the limit read
 * (a huge file is refused by its size first). A file that cannot be read throws ConfigFileError
 * naming `shownAs`. The CLI and the action read it first, start the tailnet's reads (the tailnet from
 * a flag, the environment or scanTailnet), and parse it while those are on their way.
 */
export async function readConfigText(path: string, shownAs: string = path): Promise<string> {
  try {
    return await readTextFile(path, MAX_CONFIG_BYTES);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    if (error.reason === 'too-large') fail([tooLarge(shownAs, error.size)]);
    throw unreadable(shownAs, nodePath.resolve(path), error);
  }
}

/**
 * Reads and parses the file at `path`. `shownAs` is how positions name the file (default `path`):
 * the CLI passes the path as the user typed it, relative to where they are. A file that cannot be
 * read throws ConfigFileError naming the path.
 */
export async function loadConfig(path: string, shownAs: string = path): Promise<LoadedConfig> {
  return parseConfig(await readConfigText(path, shownAs), shownAs);
}
