// Fixtures: the tailnet a simulator starts with, given in code or as a JSON file. A file may keep its
// policy beside it (`"policyFile": "policy.hujson"`, relative to the fixture) instead of inline.
// Every mistake is reported with the fixture's path and the field, so a broken fixture is quick to fix.
import path from 'node:path';
import { ROLES, isRole } from '../domain/users.js';
import { readTextFile, UnreadableFileError } from '../files/read-regular.js';
import { HujsonSyntaxError, parseHujson } from '../policy/hujson.js';
import { isObject, isStringArray, type JsonObject, type JsonValue } from './json.js';
import type { Fixture } from './types.js';

export class FixtureError extends Error {
  constructor(source: string, message: string) {
    super(`simulator fixture ${source}: ${message}`);
    this.name = 'FixtureError';
  }
}

const USER_TYPES = ['member', 'shared'];
const USER_STATUSES = ['active', 'idle', 'suspended', 'needs-approval', 'over-billing-limit'];

/** Room for a simulated tailnet far bigger than the benchmarks' 10,000 users. */
export const MAX_FIXTURE_BYTES = 64 * 1024 * 1024;

async function readFixtureText(file: string, shown: string, source: string): Promise<string> {
  try {
    return await readTextFile(file, MAX_FIXTURE_BYTES);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new FixtureError(source, error.describe(shown));
    throw error;
  }
}

/** Reads a fixture file. Throws FixtureError naming the file and the field at fault. */
export async function loadFixture(file: string): Promise<Fixture> {
  let raw: unknown;
  const text = await readFixtureText(file, 'the file', file);
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(file, `cannot read it as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (isObject(raw) && typeof raw.policyFile === 'string') {
    if (raw.policy !== undefined) throw new FixtureError(file, 'give "policy" or "policyFile", not both');
    const policyPath = path.resolve(path.dirname(file), raw.policyFile);
    const policy = await readFixtureText(policyPath, `"policyFile": ${policyPath}`, file);
    const inline: JsonObject = { ...raw, policy };
    delete inline.policyFile;
    return validateFixture(inline, file);
  }
  return validateFixture(raw, file);
}

/** Checks a fixture's shape (and that its policy parses) and returns it typed. */
export function validateFixture(raw: unknown, source = '(inline)'): Fixture {
  const fail = (message: string): never => {
    throw new FixtureError(source, message);
  };
  if (!isObject(raw)) return fail('expected a JSON object');
  if (typeof raw.tailnet !== 'string' || raw.tailnet === '' || raw.tailnet === '-')
    fail('"tailnet" must be the tailnet\'s name, e.g. "example.com"');
  if (raw.tailnetId !== undefined && typeof raw.tailnetId !== 'string')
    fail('"tailnetId" must be a string like "T1234CNTRL"');
  if (!Array.isArray(raw.users)) return fail('"users" must be a list of users');
  raw.users.forEach((user, index) => checkUser(user, `users[${index}]`, fail));
  if (typeof raw.policy !== 'string') return fail('"policy" (HuJSON text) or "policyFile" (a path) is required');
  try {
    parseHujson(raw.policy);
  } catch (error) {
    if (error instanceof HujsonSyntaxError) fail(`"policy": ${error.message}`);
    throw error;
  }
  if (raw.policyIsDefault !== undefined && typeof raw.policyIsDefault !== 'boolean')
    fail('"policyIsDefault" must be true or false');
  if (raw.settings !== undefined && !isObject(raw.settings)) fail('"settings" must be an object');
  if (raw.credentials !== undefined) checkCredentials(raw.credentials, fail);
  if (raw.oauthApps !== undefined) {
    if (!Array.isArray(raw.oauthApps)) return fail('"oauthApps" must be a list');
    raw.oauthApps.forEach((app, index) => {
      const where = `oauthApps[${index}]`;
      if (!isObject(app) || typeof app.name !== 'string') return fail(`${where}: "name" is required`);
      if (!isStringArray(app.redirectURIs) || !isStringArray(app.scopes))
        fail(`${where}: "redirectURIs" and "scopes" must be lists of strings`);
    });
  }
  // The checks above establish every field Fixture declares.
  return raw as unknown as Fixture;
}

function checkUser(user: JsonValue, where: string, fail: (message: string) => never): void {
  if (!isObject(user)) return fail(`${where}: expected an object`);
  if (typeof user.loginName !== 'string' || user.loginName === '') fail(`${where}: "loginName" is required`);
  const strings = ['id', 'displayName', 'profilePicUrl', 'tailnetId', 'created', 'lastSeen'];
  for (const key of strings)
    if (user[key] !== undefined && typeof user[key] !== 'string') fail(`${where}.${key}: must be a string`);
  if (user.role !== undefined && !isRole(user.role))
    fail(`${where}.role: ${JSON.stringify(user.role)} is not a role (${ROLES.join(', ')})`);
  if (user.type !== undefined && !USER_TYPES.includes(String(user.type)))
    fail(`${where}.type: must be "member" or "shared"`);
  if (user.status !== undefined && !USER_STATUSES.includes(String(user.status)))
    fail(`${where}.status: must be one of ${USER_STATUSES.join(', ')}`);
  if (user.deviceCount !== undefined && !Number.isInteger(user.deviceCount))
    fail(`${where}.deviceCount: must be an integer`);
  if (user.currentlyConnected !== undefined && typeof user.currentlyConnected !== 'boolean')
    fail(`${where}.currentlyConnected: must be true or false`);
}

function checkCredentials(credentials: JsonValue, fail: (message: string) => never): void {
  if (!isObject(credentials)) return fail('"credentials" must be an object');
  const list = (key: string, required: string[], where = `credentials.${key}`): void => {
    const items = credentials[key];
    if (items === undefined) return;
    if (!Array.isArray(items)) return fail(`${where} must be a list`);
    items.forEach((item: JsonValue, index) => {
      if (!isObject(item)) return fail(`${where}[${index}]: expected an object`);
      for (const name of required)
        if (typeof item[name] !== 'string' || item[name] === '') fail(`${where}[${index}].${name}: required`);
      if (item.scopes !== undefined && !isStringArray(item.scopes))
        fail(`${where}[${index}].scopes: must be a list of strings`);
      checkScopesRequired(key, item, `${where}[${index}]`, fail);
    });
  };
  list('apiKeys', ['key', 'user']);
  list('oauthClients', ['id', 'secret']);
  list('federatedIdentities', ['clientId', 'issuer', 'audience']);
}

function checkScopesRequired(key: string, item: JsonObject, where: string, fail: (message: string) => never): void {
  if (key !== 'apiKeys' && !isStringArray(item.scopes)) fail(`${where}.scopes: required (a list of scopes)`);
}
