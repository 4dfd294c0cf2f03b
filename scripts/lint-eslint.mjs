// npm run lint:eslint: ESLint (typescript-eslint's recommended-type-checked) over src/, test/, bench/ and
// scripts/, with the config and packages of tools/lint (they need TypeScript's JavaScript API, which the
// project's TypeScript 7 does not have). Extra arguments go to eslint (`npm run lint:eslint -- --fix`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const eslint = path.join(root, 'tools', 'lint', 'node_modules', '.bin', 'eslint');
if (!existsSync(eslint)) {
  console.error('lint:eslint: eslint is not installed; run `npm ci --prefix tools/lint` first');
  process.exit(1);
}
const args = ['--config', path.join('tools', 'lint', 'eslint.config.mjs'), '--max-warnings', '0'];
const rest = process.argv.slice(2);
const result = spawnSync(eslint, [...args, ...(rest.length > 0 ? rest : ['src', 'test', 'bench', 'scripts'])], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
