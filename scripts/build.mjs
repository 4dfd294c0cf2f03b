// Builds the committed bundles: tsc emits ESM into build/, then ncc bundles each entry point into one
// file in dist/ that runs without node_modules. The two ncc runs are independent, so they run side by
// side in child processes.
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const entries = [
  { source: 'build/src/cli.js', target: 'dist/cli.js' },
  { source: 'build/src/index.js', target: 'dist/index.js' },
];

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

await rm(path.join(root, 'build'), { recursive: true, force: true });
await run(bin('tsc'), ['-p', 'tsconfig.build.json']);
await mkdir(path.join(root, 'dist'), { recursive: true });
// The bundles are ES modules; say so beside them so a copied dist/ still runs.
await writeFile(path.join(root, 'dist', 'package.json'), '{ "type": "module" }\n');
await Promise.all(
  entries.map(async ({ source, target }) => {
    const out = await mkdtemp(path.join(tmpdir(), 'tailnet-access-ncc-'));
    try {
      await run(bin('ncc'), [
        'build',
        source,
        '-o',
        out,
        '--minify',
        '--no-source-map-register',
        '--quiet',
        '--no-cache',
      ]);
      const files = (await readdir(out)).filter((f) => f !== 'package.json');
      if (files.length !== 1 || files[0] !== 'index.js') {
        throw new Error(`ncc produced ${files.join(', ')} for ${source}; expected a single index.js`);
      }
      await copyFile(path.join(out, 'index.js'), path.join(root, target));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }),
);
