import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { GROUP_KEY_PATTERN, LOGIN_PATTERN } from '../src/config/names.js';
import { ROLES } from '../src/domain/users.js';
import { schemaValidatorSource } from '../src/config/schema-validator-source.js';
import schema from '../schema/tailnet-access.schema.json' with { type: 'json' };

const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

function accepts(yaml: string): boolean {
  return validate(parseDocument(yaml).toJS());
}

describe('schema/tailnet-access.schema.json', () => {
  it('accepts the example, which editors check against it', () => {
    const text = readFileSync(new URL('../examples/tailnet-access.yaml', import.meta.url), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\/tailnet-access\.schema\.json$/m);
    expect(accepts(text)).toBe(true);
  });

  it('uses the same login and group-name patterns and roles as the loader', () => {
    expect(schema.$defs.login.pattern).toBe(LOGIN_PATTERN);
    expect(Object.keys(schema.properties.users.patternProperties)).toEqual([LOGIN_PATTERN]);
    expect(Object.keys(schema.properties.groups.patternProperties)).toEqual([GROUP_KEY_PATTERN]);
    expect(schema.$defs.role.enum).toEqual([...ROLES]);
  });

  it('accepts logins without a dot in the domain and refuses non-logins as members', () => {
    expect(accepts('version: 1\nusers: { octocat@github: admin }\ngroups: { eng: [octocat@github] }\n')).toBe(true);
    for (const member of ['group:sre', 'autogroup:admin', 'tag:ci', '"*"', 'alice']) {
      expect(accepts(`version: 1\ngroups: { eng: [${member}] }\n`), member).toBe(false);
    }
  });

  it('refuses unknown keys at every level', () => {
    expect(accepts('version: 1\nextra: 1\n')).toBe(false);
    expect(accepts('version: 1\nsettings: { extra: 1 }\n')).toBe(false);
    expect(accepts('version: 1\nusers: { a@b: { role: admin, extra: 1 } }\n')).toBe(false);
    expect(accepts('version: 1\ngroups: { eng: { members: [], extra: 1 } }\n')).toBe(false);
  });

  it('gives every property a title and description for editor hover help', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      const properties = record['properties'];
      if (typeof properties === 'object' && properties !== null) {
        for (const [key, child] of Object.entries(properties)) {
          const described =
            typeof child === 'object' &&
            child !== null &&
            ('$ref' in child || ('title' in child && 'description' in child));
          if (!described) missing.push(`${path}.${key}`);
        }
      }
      for (const [key, child] of Object.entries(record)) walk(child, `${path}.${key}`);
    };
    walk(schema, '#');
    expect(missing).toEqual([]);
  });
});

describe('the validator the loader runs', () => {
  it('is ajv’s standalone code for the schema as it is now (else run npm run generate:schema)', () => {
    const committed = readFileSync(new URL('../src/config/schema-validator.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(schemaValidatorSource());
  });
});
