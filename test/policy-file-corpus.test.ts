// Real policy files kept in git by teams that use gitops-acl-action (../shared/corpus/policies, when
// present): `import --policy-file` and then `render` leave each valid one byte for byte as it was, and
// changing one group in the YAML changes only that group's lines in the file.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { LineIndex } from '../src/diagnostics.js';
import { parseHujson, topLevelProperty } from '../src/policy/hujson.js';
import { readPolicyGroups } from '../src/policy/index.js';
import { lineChanges, splitLines } from '../src/policy-file/index.js';
import { startSimulator, type Simulator } from '../src/simulator/index.js';
import { apiKeyEnv, cli, OWNER_KEY, tailnet } from './import-helpers.js';

const CORPUS = new URL('../../shared/corpus/policies/', import.meta.url);
const present = existsSync(new URL('SOURCES.tsv', CORPUS));

function validFiles(): string[] {
  if (!present) return [];
  const rows = readFileSync(new URL('SOURCES.tsv', CORPUS), 'utf8').trim().split('\n').slice(1);
  return rows
    .map((row) => row.split('\t'))
    .filter((cols) => cols[4] === 'yes')
    .map((cols) => cols[0] ?? '');
}

/** 1-based first and last line of a top-level key, or of one group inside `groups`. */
function span(text: string, group?: string): { first: number; last: number } | undefined {
  const doc = parseHujson(text);
  const groups = topLevelProperty(doc, 'groups');
  const node =
    group === undefined ? groups : groups?.children?.[1]?.children?.find((p) => p.children?.[0]?.value === group);
  if (!node) return undefined;
  const lines = new LineIndex(text);
  return { first: lines.position(node.offset).line, last: lines.position(node.offset + node.length).line };
}

/** The YAML with one more member in `group`, or a new group when `group` is undefined. */
function changedYaml(yaml: string, group: string | undefined): string {
  const doc = parseDocument(yaml);
  const groups = doc.get('groups') as YAMLMap;
  if (group === undefined) {
    doc.setIn(['groups', 'added-by-test'], doc.createNode(['new.person@example.com']));
  } else {
    const entry = groups.get(group);
    const members = isMap(entry) ? entry.get('members') : entry;
    if (!isSeq(members)) throw new Error(`unexpected YAML for ${group}`);
    members.flow = false;
    members.add(doc.createNode('new.person@example.com'));
  }
  return doc.toString({ lineWidth: 0 });
}

describe.skipIf(!present)('the corpus of real policy files', () => {
  let sim: Simulator;
  let dir: string;
  beforeAll(async () => {
    sim = await startSimulator({ fixture: tailnet([{ loginName: 'alice@example.com', role: 'admin' }], '{}\n') });
    dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-corpus-'));
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  const files = validFiles();
  it('has valid files to test', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files)(
    '%s: import --policy-file, then render, keeps the file; one group changed in the YAML changes only its lines',
    async (name) => {
      const original = readFileSync(new URL(name, CORPUS), 'utf8');
      const work = await mkdtemp(path.join(dir, 'case-'));
      const policy = path.join(work, 'policy.hujson');
      await writeFile(policy, original);
      const env = apiKeyEnv(sim.url, OWNER_KEY);

      const imported = await cli(['import', '--policy-file', 'policy.hujson'], env, work);
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      const yaml = await readFile(path.join(work, 'tailnet-access.yaml'), 'utf8');
      expect(yaml).toContain('  policyFile: policy.hujson');

      const rendered = await cli(['render'], {}, work);
      expect(rendered.code).toBe(0);
      expect(rendered.stdout).toBe(
        'policy.hujson already holds the groups of tailnet-access.yaml; nothing to write.\n',
      );
      expect(await readFile(policy, 'utf8')).toBe(original);
      expect((await cli(['render', '--check'], {}, work)).code).toBe(0);

      // The first group the YAML could list (the others are kept as they are, unmanaged).
      const listed = readPolicyGroups(original).groups.find((g) =>
        new RegExp(`^  ${g.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`, 'm').test(yaml),
      );
      await writeFile(path.join(work, 'tailnet-access.yaml'), changedYaml(yaml, listed?.name));
      const check = await cli(['render', '--check'], {}, work);
      expect(check.code).toBe(1);
      expect(check.stderr).toMatch(/^policy\.hujson:\d+:1: .*run `tailnet-access render` and commit the result/);
      expect(await readFile(policy, 'utf8')).toBe(original);

      expect((await cli(['render'], {}, work)).code).toBe(0);
      const after = await readFile(policy, 'utf8');
      const within = span(original, listed?.name) ?? span(original);
      for (const change of lineChanges(splitLines(original), splitLines(after))) {
        if (within) {
          expect(change.oldStart + 1).toBeGreaterThanOrEqual(within.first);
          expect(change.oldEnd).toBeLessThanOrEqual(within.last);
        } else {
          expect(change.oldEnd).toBe(change.oldStart);
        }
      }
      const groups = readPolicyGroups(after).groups;
      const changed = groups.find((g) => g.name === (listed?.name ?? 'group:added-by-test'));
      expect(changed?.members.at(-1)).toBe('new.person@example.com');
      const untouched = (g: { name: string }): boolean => g.name !== changed?.name;
      expect(groups.filter(untouched)).toEqual(readPolicyGroups(original).groups.filter(untouched));
    },
  );
});
