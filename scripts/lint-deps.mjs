// npm run lint:deps: the layer rules of .dependency-cruiser.mjs over src/, with dependency-cruiser from
// tools/lint (it needs TypeScript's JavaScript API, which the project's TypeScript 7 does not have, so
// tools/lint pins TypeScript 6 for the checkers alone). Known violations
// (.dependency-cruiser-known-violations.json) are reported, not failed on; a new one fails.
// `npm run lint:deps -- --baseline` rewrites that list (after fixing some, never to hide a new one).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'tools', 'lint', 'node_modules', '.bin', name);
if (!existsSync(bin('depcruise'))) {
  console.error('lint:deps: dependency-cruiser is not installed; run `npm ci --prefix tools/lint` first');
  process.exit(1);
}
const baseline = process.argv.includes('--baseline');
const args = baseline
  ? ['src', '--config', '.dependency-cruiser.mjs', '--output-to', '.dependency-cruiser-known-violations.json']
  : ['src', '--config', '.dependency-cruiser.mjs', '--ignore-known', '--output-type', 'err'];
const result = spawnSync(bin(baseline ? 'depcruise-baseline' : 'depcruise'), args, { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
