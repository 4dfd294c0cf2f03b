// The README's table of the action's inputs and outputs, generated from action.yml so the two never
// disagree. It replaces what stands between the two markers below in the README.
//
//   node scripts/action-docs.mjs [--check] [--action action.yml] [--readme README.md]
//     writes the table into the README; with --check, changes nothing and exits 1 when it differs.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { actionInterface, MetadataError } from './action-metadata.mjs';

const BEGIN =
  '<!-- action-docs: generated from action.yml by `npm run docs:action`; edit action.yml, not this table -->';
const END = '<!-- /action-docs -->';

/** Table cell text: one line, no column breaks. */
const cell = (text) =>
  String(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();

function defaultCell(input) {
  if (input.required === true) return '**required**';
  if (input.default === undefined || input.default === '') return '*none*';
  return `\`${cell(input.default)}\``;
}

function renderTables({ inputs, outputs }) {
  return [
    '| Input | Default | Description |',
    '| --- | --- | --- |',
    ...inputs.map(
      (input) =>
        `| \`${input.name}\` | ${defaultCell(input)} | ${cell(input.description)}${input.deprecationMessage ? ` **Deprecated:** ${cell(input.deprecationMessage)}` : ''} |`,
    ),
    '',
    '| Output | Description |',
    '| --- | --- |',
    ...outputs.map((output) => `| \`${output.name}\` | ${cell(output.description)} |`),
  ].join('\n');
}

/** The README with the generated block replaced, or an error naming what is wrong with the markers. */
function replaceBlock(readme, readmeFile, tables) {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin === -1 || end === -1 || end < begin || readme.indexOf(BEGIN, begin + 1) !== -1) {
    throw new MetadataError(
      `${readmeFile}: the inputs table goes between one line\n  ${BEGIN}\nand one line\n  ${END}\nin that order; add them where the table belongs`,
    );
  }
  // Blank lines around the table, so Markdown reads it as a table and not as part of the comments.
  return `${readme.slice(0, begin + BEGIN.length)}\n\n${tables}\n\n${readme.slice(end)}`;
}

function main() {
  const { values } = parseArgs({
    options: { check: { type: 'boolean' }, action: { type: 'string' }, readme: { type: 'string' } },
  });
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
  const actionFile = path.relative(process.cwd(), path.resolve(values.action ?? path.join(root, 'action.yml')));
  const readmeFile = path.relative(process.cwd(), path.resolve(values.readme ?? path.join(root, 'README.md')));
  const readme = readFileSync(readmeFile, 'utf8');
  const updated = replaceBlock(readme, readmeFile, renderTables(actionInterface(actionFile)));
  if (updated === readme) {
    console.log(`${readmeFile}: the inputs and outputs table matches ${actionFile}`);
    return;
  }
  if (values.check) {
    const before = readme.split('\n');
    const after = updated.split('\n');
    const line = before.findIndex((text, index) => text !== after[index]);
    console.error(
      `${readmeFile}:${line + 1}: the inputs and outputs table differs from ${actionFile}; run npm run docs:action and commit the README`,
    );
    console.error(`  README:     ${before[line] ?? '(end of file)'}`);
    console.error(`  action.yml: ${after[line] ?? '(end of file)'}`);
    process.exitCode = 1;
    return;
  }
  writeFileSync(readmeFile, updated);
  console.log(`${readmeFile}: wrote the inputs and outputs table from ${actionFile}`);
}

try {
  main();
} catch (error) {
  if (
    !(error instanceof MetadataError) &&
    !(
      error instanceof Error &&
      'code' in error &&
      (error.code === 'ENOENT' || String(error.code).startsWith('ERR_PARSE_ARGS'))
    )
  )
    throw error;
  console.error(error.message);
  process.exitCode = 1;
}
