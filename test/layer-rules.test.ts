// The layer rules of docs/architecture.md (.dependency-cruiser.mjs) bite: a small tree with one wrong
// import per rule fails `depcruise` with that rule's name, and the same tree with the imports pointing
// down passes. Run on a copy, so the project's own tree (checked by `npm run lint:deps`) is untouched.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEPCRUISE = path.join(ROOT, 'tools', 'lint', 'node_modules', '.bin', 'depcruise');
const run = promisify(execFile);

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-layers-'));
  await writeFile(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true } }),
  );
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function tree(files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}

async function cruise(): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(
      DEPCRUISE,
      ['src', '--config', path.join(ROOT, '.dependency-cruiser.mjs'), '--output-type', 'err'],
      { cwd: dir },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

// The leaves a wrong import points at.
const BASE = {
  'src/commands/plan.ts': 'export const command = 1;\n',
  'src/action/plan-mode.ts': 'export const mode = 1;\n',
  'src/tailscale/client.ts': 'export const client = 1;\n',
  'src/apply/apply.ts': 'export const apply = 1;\n',
  'src/domain/plan.ts': 'export const plan = 1;\n',
};

describe.skipIf(!existsSync(DEPCRUISE))('the layer rules', () => {
  it('fail an import that points the wrong way, naming the rule it breaks', async () => {
    await tree({
      ...BASE,
      // The pure core reaching for the file system and a front end.
      'src/plan/diff.ts':
        "import { readFileSync } from 'node:fs';\nimport { command } from '../commands/plan.js';\nexport const d " +
        '= String(readFileSync) + command;\n',
      // A renderer reaching for the client, the engine for the runner protocol and a front end.
      'src/render/plan-text.ts': "import { client } from '../tailscale/client.js';\nexport const r = client;\n",
      'src/engine/plan.ts': "import { mode } from '../action/plan-mode.js';\nexport const e = mode;\n",
      // The domain leaf importing upwards, and plan/ taking from apply/.
      'src/domain/users.ts': "import { apply } from '../apply/apply.js';\nexport const u = apply;\n",
      'src/plan/rails.ts': "import { apply } from '../apply/apply.js';\nexport const r = apply;\n",
      // A cycle.
      'src/policy/a.ts': "import { b } from './b.js';\nexport const a = 1 + b;\n",
      'src/policy/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    const { code, output } = await cruise();
    expect(code).not.toBe(0);
    expect(output).toMatch(/error pure-core-no-io: src\/plan\/diff\.ts → fs/);
    expect(output).toMatch(/error front-ends-are-entry-points: src\/plan\/diff\.ts → src\/commands\/plan\.ts/);
    expect(output).toMatch(/error render-imports-no-client: src\/render\/plan-text\.ts → src\/tailscale\/client\.ts/);
    expect(output).toMatch(/error action-is-an-entry-point: src\/engine\/plan\.ts → src\/action\/plan-mode\.ts/);
    expect(output).toMatch(/error engine-below-the-front-ends: src\/engine\/plan\.ts → src\/action\/plan-mode\.ts/);
    expect(output).toMatch(/error domain-is-a-leaf: src\/domain\/users\.ts → src\/apply\/apply\.ts/);
    expect(output).toMatch(/error plan-below-apply: src\/plan\/rails\.ts → src\/apply\/apply\.ts/);
    expect(output).toMatch(/error no-circular: src\/policy\/(a|b)\.ts → /);
  });

  it('pass the same tree with every arrow pointing down', async () => {
    await tree({
      ...BASE,
      'src/plan/diff.ts': "import { plan } from '../domain/plan.js';\nexport const d = plan;\n",
      'src/render/plan-text.ts': "import { d } from '../plan/diff.js';\nexport const r = d;\n",
      'src/engine/plan.ts':
        "import { client } from '../tailscale/client.js';\nimport { d } from '../plan/diff.js';\nexport const e = " +
        'client + d;\n',
      'src/commands/apply.ts':
        "import { e } from '../engine/plan.js';\nimport { r } from '../render/plan-text.js';\nexport const c = e " +
        '+ r;\n',
    });
    const { code, output } = await cruise();
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  });
});
