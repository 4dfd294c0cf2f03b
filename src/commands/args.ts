// argv -> a command name and its typed options. Built on node:util parseArgs (strict), with errors
// that name the flag and suggest the nearest known one.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { suggest } from '../config/suggest.js';
import { UsageError } from '../errors.js';

export const COMMANDS = {
  plan: 'read the file and the live tailnet, print the plan; writes nothing',
  apply: 'plan afresh, then make the tailnet match the file',
  drift: 'plan as a report: exit 2 when the live tailnet differs from the file',
  import: 'write a tailnet-access.yaml that matches the live tailnet',
  check: 'test the connection: tailnet, credential, scopes, users and policy',
  render: 'rewrite the groups of settings.policyFile in place from the file',
  validate: 'check the file offline (YAML, schema, rules, the policy file rendered); no credential needed',
  'create-oauth-app': 'create (or find by name) an OAuth app; never prints its secret',
  provision: "run an OAuth app's authorization-code flow to a single-use auth key",
  simulate: 'start the built-in Tailscale API simulator on loopback and print its base URL',
  demo: 'start the simulator with the example tailnet and run plan against it',
} as const;

export type CommandName = keyof typeof COMMANDS;

const COMMON = {
  config: { type: 'string' },
  tailnet: { type: 'string' },
  'base-url': { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig;

const PER_COMMAND = {
  plan: {
    now: { type: 'string' },
    'detailed-exitcode': { type: 'boolean' },
    inventory: { type: 'boolean' },
    'idle-days': { type: 'string' },
    'state-file': { type: 'string' },
    'save-plan': { type: 'string' },
  },
  apply: {
    now: { type: 'string' },
    'max-changes': { type: 'string' },
    force: { type: 'boolean' },
    yes: { type: 'boolean' },
    'state-file': { type: 'string' },
    plan: { type: 'string' },
  },
  drift: { now: { type: 'string' }, 'state-file': { type: 'string' } },
  import: { 'policy-file': { type: 'string' }, force: { type: 'boolean' } },
  check: { for: { type: 'string' } },
  render: { check: { type: 'boolean' }, 'from-live': { type: 'boolean' } },
  validate: {},
  'create-oauth-app': {
    name: { type: 'string' },
    description: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    scope: { type: 'string', multiple: true },
    'allowed-node-attribute': { type: 'string', multiple: true },
    update: { type: 'boolean' },
    'secret-file': { type: 'string' },
    'print-secret': { type: 'boolean' },
  },
  provision: {
    'client-id': { type: 'string' },
    'client-secret-file': { type: 'string' },
    port: { type: 'string' },
    'login-url': { type: 'string' },
    print: { type: 'boolean' },
    'token-file': { type: 'string' },
  },
  simulate: { fixture: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
  demo: {},
} as const satisfies Record<CommandName, ParseArgsOptionsConfig>;

/** What each command's own flags do, for `tailnet-access <command> --help`. */
const FLAG_HELP: Record<CommandName, Record<string, string>> = {
  plan: {
    'now TIME':
      'plan as of this moment: a date (its start, UTC) or an RFC 3339 date-time with offset; default the current time',
    'detailed-exitcode': 'exit 2 when there are changes (0 when none), like terraform plan',
    inventory: 'add a table of users: role, status, devices, last seen; idle, in no group, never joined',
    'idle-days N': 'with --inventory, flag users not seen for N days (default 90)',
    'state-file FILE': 'with settings.policyFile, where the last applied policy is remembered',
    'save-plan FILE': 'also write the plan with what it was based on (policy ETag, users, config), for apply --plan',
  },
  apply: {
    'now TIME':
      'plan as of this moment: a date (its start, UTC) or an RFC 3339 date-time with offset; default the current time',
    'max-changes N': 'go ahead with a plan of up to N changes (overrides settings.maxChanges)',
    force: 'go ahead although more than half of the managed users lose a role or a group',
    yes: 'accepted for scripts; apply never asks',
    'state-file FILE': 'with settings.policyFile, where the last applied policy is remembered',
    'plan FILE':
      'apply the plan saved by plan --save-plan, only while a fresh plan has exactly its changes (else exit 1, ' +
      'nothing written)',
  },
  drift: {
    'now TIME':
      'plan as of this moment: a date (its start, UTC) or an RFC 3339 date-time with offset; default the current time',
    'state-file FILE': 'with settings.policyFile, where the last applied policy is remembered',
  },
  import: {
    'policy-file FILE':
      'take the groups from this policy file in the repository and set settings.policyFile (a file not there yet ' +
      'is written from the live policy)',
    force: 'overwrite an existing config file (--config or --out: where the YAML goes)',
  },
  check: { 'for plan|apply': 'what the credential must be able to do (default apply)' },
  render: {
    check: 'change nothing; exit 1 when the policy file is not what render would write',
    'from-live': "copy the tailnet's live policy into the policy file (to fold a console edit into git)",
  },
  validate: {},
  'create-oauth-app': {
    'name N': 'the app (3-50 of A-Z a-z 0-9 . _ -); an app of that name is found, not duplicated',
    'description D': 'what the app is for',
    'redirect-uri URI': 'repeatable; https, or a loopback address',
    'scope S': 'repeatable; default auth_keys:create:once',
    'allowed-node-attribute A': 'repeatable; custom:… attributes given to provisioned devices',
    update: 'replace the settings of an existing app of that name (its secret stays)',
    'secret-file PATH': 'write the client secret here (created with mode 0600; never overwritten)',
    'print-secret': 'print the client secret on standard output instead (nothing else goes there)',
  },
  provision: {
    'client-id ID': 'the OAuth app',
    'client-secret-file PATH': "a file holding the app's client secret",
    'port P': 'the loopback port of the redirect URI (default 8976: http://127.0.0.1:8976/callback)',
    'login-url URL':
      'where the consent screen is (default https://login.tailscale.com; the base URL itself when it is on this machine, as the simulator is)',
    print: 'print the tailscale up command (key in a 0600 file) instead of running it',
    'token-file PATH': 'with --print, where to write the single-use auth key',
  },
  simulate: {
    'fixture FILE': 'a JSON fixture (users, policy, credentials) instead of the built-in example tailnet',
    'port P': 'listen on this port (default: any free one)',
    'host H': 'listen on this address (default 127.0.0.1)',
  },
  demo: {},
};

/** The command's own flags (long names), for tests that keep the help in step with the parser. */
export function flagsOf(command: CommandName): string[] {
  return Object.keys(PER_COMMAND[command]);
}

export function commandUsage(command: CommandName): string {
  const own = Object.entries(FLAG_HELP[command]);
  const width = Math.max(0, ...own.map(([flag]) => flag.length + 2));
  return [
    `Usage: tailnet-access ${command} [options]`,
    '',
    `${COMMANDS[command].charAt(0).toUpperCase()}${COMMANDS[command].slice(1)}.`,
    ...(own.length > 0
      ? ['', 'Options:', ...own.map(([flag, what]) => `  ${`--${flag}`.padEnd(width)}  ${what}`)]
      : []),
    '',
    'Common options (--config, --tailnet, --base-url, --format, --out, --no-color) and credentials:',
    'see tailnet-access --help.',
  ].join('\n');
}

export type Format = 'text' | 'markdown' | 'json';

export interface ParsedArgs {
  command: CommandName;
  /** Values of the flags given, by long name; repeatable flags are arrays. */
  values: Record<string, string | boolean | string[] | undefined>;
  format: Format;
  color: boolean | undefined;
  help: boolean;
}

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** `tailnet-access --version` (or `-v`): answered before any command is parsed, as `--help` is. */
export function isVersionRequest(argv: string[]): boolean {
  return argv[0] === '--version' || argv[0] === '-v';
}

export function parseCommandLine(argv: string[]): ParsedArgs | { help: true; command?: undefined } {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') return { help: true };
  if (!isCommand(name)) {
    const hint = suggest(name, Object.keys(COMMANDS));
    throw new UsageError(`unknown command "${name}"${hint ? `; did you mean "${hint}"?` : ''} (try --help)`);
  }
  const options = { ...COMMON, ...PER_COMMAND[name] } satisfies ParseArgsOptionsConfig;
  let values: ParsedArgs['values'];
  try {
    const parsed = parseArgs({ args: rest, options, strict: true, allowPositionals: false });
    values = parsed.values as ParsedArgs['values'];
  } catch (error) {
    const unknown = error instanceof Error && /Unknown option '-[^-]/i.test(error.message);
    throw new UsageError(
      (unknown ? singleDashLong(rest, name, Object.keys(options)) : undefined) ??
        explainParseError(error, name, Object.keys(options)),
    );
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'markdown' && format !== 'json') {
    throw new UsageError(`--format must be text, markdown or json, not "${String(format)}"`);
  }
  const color = values['no-color'] === true ? false : values.color === true ? true : undefined;
  return { command: name, values, format, color, help: values.help === true };
}

/** The other commands that have this flag, for "unknown flag" when it was given to the wrong one. */
function commandsWith(flag: string): CommandName[] {
  return (Object.keys(PER_COMMAND) as CommandName[]).filter((name) => Object.hasOwn(PER_COMMAND[name], flag));
}

/**
 * Terraform's habit, `-detailed-exitcode` with one dash: parseArgs reads it as a cluster of short
 * flags and complains about `-d`. The first such word is named whole, with its two-dash spelling.
 */
function singleDashLong(args: readonly string[], command: CommandName, known: string[]): string | undefined {
  const end = args.indexOf('--');
  const word = (end < 0 ? args : args.slice(0, end)).find((arg) => /^-[A-Za-z][\w-]+(=|$)/.test(arg));
  if (word === undefined) return undefined;
  const name = word.slice(1).split('=')[0] as string;
  const alias = TERRAFORM_FLAGS[name];
  const hint = known.includes(name)
    ? name
    : alias !== undefined && known.includes(alias)
      ? alias
      : suggest(name, known);
  if (hint === undefined)
    return (
      `${command}: unknown flag ${word} (long flags take two dashes, and ${command} has no --${name}; see ` +
      `${command} --help)`
    );
  return `${command}: unknown flag ${word}; did you mean --${hint}? (long flags take two dashes)`;
}

/** Terraform's names for what our flags do. */
const TERRAFORM_FLAGS: Partial<Record<string, string>> = { 'auto-approve': 'yes' };

function explainParseError(error: unknown, command: CommandName, known: string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const flag = /option '(--?[\w-]+)/i.exec(message)?.[1] ?? /argument '([^']+)'/.exec(message)?.[1];
  if (flag && /Unknown option/i.test(message)) {
    const name = flag.replace(/^-+/, '');
    const elsewhere = commandsWith(name);
    if (elsewhere.length > 0)
      return `${command}: unknown flag ${flag}; it is a flag of ${elsewhere.join(', ')}, not of ${command}`;
    const hint = suggest(name, known);
    return `${command}: unknown flag ${flag}${hint ? `; did you mean --${hint}?` : ''}`;
  }
  if (flag && /Unexpected argument/i.test(message))
    return `${command}: unexpected argument "${flag}" (flags take the form --name value)`;
  // parseArgs words these for programmers ("Option '--config <value>' argument missing").
  if (flag && /argument missing|argument is ambiguous/i.test(message)) {
    return `${command}: ${flag} needs a value (${flag} VALUE, or ${flag}=VALUE when the value starts with "-")`;
  }
  if (flag && /does not take an argument/i.test(message))
    return `${command}: ${flag} takes no value; give it alone to turn it on`;
  return `${command}: ${message}`;
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, what]) => `  ${name.padEnd(width)}  ${what}`);
  return [
    'Usage: tailnet-access <command> [options]',
    '       tailnet-access --version',
    '',
    'Commands:',
    ...lines,
    '',
    'Options for every command:',
    '  --config FILE      the access file (default tailnet-access.yaml)',
    '  --tailnet T        the tailnet (default: TAILSCALE_TAILNET, the file, or "-" for the credential\'s own)',
    '  --base-url URL     the API (default: TAILSCALE_BASE_URL or https://api.tailscale.com)',
    '  --format F         text, markdown or json (default text)',
    '  --out FILE         write the output to FILE instead of standard output',
    '  --no-color         no colours, even on a terminal',
    '',
    'Credentials come from the environment: TAILSCALE_API_KEY, or TAILSCALE_OAUTH_CLIENT_ID with',
    'TAILSCALE_OAUTH_CLIENT_SECRET, or TAILSCALE_OAUTH_CLIENT_ID with TAILSCALE_ID_TOKEN (workload identity).',
    '',
    'Exit codes: 0 done, nothing left to change; 1 error or refused (nothing written); 2 changes pending.',
  ].join('\n');
}
