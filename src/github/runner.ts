// The runner's side of a JavaScript action: inputs from INPUT_* variables, workflow commands on
// standard output (`::error file=…::…`), the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and the
// job's OIDC token service. These are what @actions/core does; doing them here keeps @actions/core
// (with its HTTP client, a second copy of undici and its child_process helpers) out of the bundle's
// start-up, which it slowed by about 30 ms on every run (bench/cold-start.mjs).
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where an annotation points; GitHub ignores the columns when the lines differ. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

// The runner's escaping: a message keeps to one line, and a property value cannot end its property.
const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::name key=value,…::message`, one line on standard output. */
export function issueCommand(name: string, properties: Record<string, string | number | undefined>, message: string): void {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  process.stdout.write(`::${name}${props === '' ? '' : ` ${props}`}::${escapeData(message)}${EOL}`);
}

// The runner's property names for an annotation's place, in the order it documents them.
function annotation(props: AnnotationProperties = {}): Record<string, string | number | undefined> {
  return { title: props.title, file: props.file, line: props.startLine, endLine: props.endLine, col: props.startColumn, endColumn: props.endColumn };
}

/** An input as the runner sets it (`INPUT_` + the name upper-cased, spaces to underscores), trimmed. */
export function getInput(name: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function info(text: string): void {
  process.stdout.write(`${text}${EOL}`);
}

export function notice(message: string, props?: AnnotationProperties): void {
  issueCommand('notice', annotation(props), message);
}

export function warning(message: string, props?: AnnotationProperties): void {
  issueCommand('warning', annotation(props), message);
}

export function error(message: string, props?: AnnotationProperties): void {
  issueCommand('error', annotation(props), message);
}

/** An error annotation, and exit status 1 when the process ends. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** Appends `name<<delimiter` … `delimiter` to GITHUB_OUTPUT; the delimiter is random, so no value can forge another output. */
export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) {
    info(`output ${name}: ${value}`);
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

/** Appends markdown to the step's summary; false when there is no summary file (not on a runner). */
export function appendSummary(markdown: string): boolean {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, `${markdown}${EOL}`, 'utf8');
  return true;
}

/** What the job's OIDC token service answered instead of a token. */
export class IdTokenRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdTokenRequestError';
  }
}

const ID_TOKEN_ATTEMPTS = 3;

/**
 * The job's GitHub ID token for `audience`, from the URL and bearer token the runner sets only for jobs
 * granted `permissions: id-token: write` (undefined when the job has none). Retried on 5xx, 429 and
 * network errors, as the service is a network call like any other.
 */
export async function getIDToken(audience: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<string | undefined> {
  const { ACTIONS_ID_TOKEN_REQUEST_URL: serviceUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken } = env;
  if (!serviceUrl || !requestToken) return undefined;
  const url = new URL(serviceUrl);
  url.searchParams.set('audience', audience);
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${requestToken}`, accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
    } catch (failure) {
      if (attempt < ID_TOKEN_ATTEMPTS) {
        await sleep(500 * attempt);
        continue;
      }
      throw new IdTokenRequestError(`no answer from ${url.host}: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
    if ((response.status >= 500 || response.status === 429) && attempt < ID_TOKEN_ATTEMPTS) {
      await response.body?.cancel();
      await sleep(500 * attempt);
      continue;
    }
    const body = (await response.json().catch(() => undefined)) as { value?: unknown; message?: unknown } | undefined;
    if (response.ok && typeof body?.value === 'string' && body.value !== '') return body.value;
    const said = typeof body?.message === 'string' ? `: ${body.message}` : '';
    throw new IdTokenRequestError(response.ok ? 'the answer holds no token' : `${response.status}${said}`);
  }
}
