// Checks action.yml as GitHub (and its Marketplace) read it: the keys each part may have, every input
// and output described, defaults as strings, a runtime GitHub still runs (node24 included) with its
// files present, and branding the Marketplace accepts. Every problem is reported at its line.
//
//   node scripts/check-action.mjs [action.yml]
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq } from 'yaml';
import { entries, loadYaml, MetadataError, nodeAt } from './action-metadata.mjs';

// The Marketplace cuts a longer description short in its listing.
const MAX_DESCRIPTION = 125;
const TOP_LEVEL = ['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding'];
const INPUT_KEYS = ['description', 'required', 'default', 'deprecationMessage'];
const OUTPUT_KEYS = ['description', 'value'];
const NODE_RUNTIMES = ['node20', 'node24'];
const RETIRED_RUNTIMES = ['node12', 'node16'];
const RUNS_KEYS = {
  node: ['using', 'main', 'pre', 'pre-if', 'post', 'post-if'],
  composite: ['using', 'steps'],
  docker: ['using', 'image', 'env', 'args', 'entrypoint', 'pre-entrypoint', 'post-entrypoint', 'pre-if', 'post-if'],
};
const COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'];

function checkAction(file) {
  const { doc, at } = loadYaml(file);
  const problems = [];
  const report = (node, message) => problems.push(`${at(node)}: ${message}`);
  const root = doc.contents;
  if (!isMap(root)) return [`${file}:1:1: action.yml must be a map of name, description, inputs, outputs, runs…`];

  const knownKeys = (node, allowed, what) => {
    for (const [key, keyNode] of entries(node))
      if (!allowed.includes(key)) report(keyNode, `${what} has no key "${key}" (allowed: ${allowed.join(', ')})`);
  };
  const text = (node, what, { required = true } = {}) => {
    if (node === undefined || node === null) {
      if (required) problems.push(`${file}: ${what} is missing`);
      return undefined;
    }
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      report(node, `${what} must be non-empty text`);
      return undefined;
    }
    return node.value;
  };

  knownKeys(root, TOP_LEVEL, 'action.yml');
  text(nodeAt(doc, 'name'), 'name');
  const description = text(nodeAt(doc, 'description'), 'description');
  if (description !== undefined && description.length > MAX_DESCRIPTION) {
    report(
      nodeAt(doc, 'description'),
      `description is ${description.length} characters; the Marketplace shows at most ${MAX_DESCRIPTION}`,
    );
  }

  const runs = checkRuns(doc, file, { report, knownKeys, text });
  checkInputs(doc, { report, knownKeys, text });
  checkOutputs(doc, runs, { report, knownKeys, text });
  checkBranding(doc, { report, knownKeys, text });
  return problems;
}

function checkRuns(doc, file, { report, knownKeys, text }) {
  const runs = nodeAt(doc, 'runs');
  if (!isMap(runs)) {
    report(runs ?? doc.contents, 'runs must say how the action runs (using: node24, main: …)');
    return undefined;
  }
  const using = text(nodeAt(doc, 'runs', 'using'), 'runs.using');
  if (using === undefined) return undefined;
  if (RETIRED_RUNTIMES.includes(using)) {
    report(
      nodeAt(doc, 'runs', 'using'),
      `runs.using: ${using} no longer runs on GitHub's runners; use ${NODE_RUNTIMES.at(-1)}`,
    );
    return using;
  }
  const kind = NODE_RUNTIMES.includes(using) ? 'node' : using === 'composite' || using === 'docker' ? using : undefined;
  if (kind === undefined) {
    report(
      nodeAt(doc, 'runs', 'using'),
      `runs.using must be ${[...NODE_RUNTIMES, 'composite', 'docker'].join(', ')}, not "${using}"`,
    );
    return using;
  }
  knownKeys(runs, RUNS_KEYS[kind], `runs (using: ${using})`);
  if (kind === 'node') {
    for (const key of ['main', 'pre', 'post']) {
      const entry = text(nodeAt(doc, 'runs', key), `runs.${key}`, { required: key === 'main' });
      if (entry !== undefined && !existsSync(path.resolve(path.dirname(file), entry)))
        report(nodeAt(doc, 'runs', key), `runs.${key}: ${entry} does not exist (build it: npm run bundle)`);
    }
  }
  if (kind === 'composite' && !isSeq(nodeAt(doc, 'runs', 'steps')))
    report(runs, 'runs.steps must list the steps of a composite action');
  if (kind === 'docker') text(nodeAt(doc, 'runs', 'image'), 'runs.image');
  return using;
}

function checkInputs(doc, { report, knownKeys, text }) {
  const inputs = nodeAt(doc, 'inputs');
  if (inputs === undefined) return;
  if (!isMap(inputs))
    return report(inputs, 'inputs must be a map of input name to its description, required and default');
  const seen = new Map();
  for (const [name, keyNode, value] of entries(inputs)) {
    const what = `input ${name}`;
    // The runner hands inputs over as INPUT_<NAME>: two names that differ only in case collide.
    const twin = seen.get(name.toLowerCase());
    if (twin !== undefined)
      report(keyNode, `${what} differs only in case from input ${twin}; the runner cannot tell them apart`);
    seen.set(name.toLowerCase(), name);
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name))
      report(keyNode, `${what}: a name is letters, digits, "-" and "_", starting with a letter or "_"`);
    if (!isMap(value)) {
      report(
        isScalar(value) && value.value !== null ? value : keyNode,
        `${what} must be a map with at least a description`,
      );
      continue;
    }
    knownKeys(value, INPUT_KEYS, what);
    text(value.get('description', true), `${what}: description`);
    const required = value.get('required', true);
    if (required === undefined)
      report(keyNode, `${what}: say required: true or false, so the Marketplace and the README show it`);
    else if (!isScalar(required) || typeof required.value !== 'boolean')
      report(required, `${what}: required must be true or false`);
    const fallback = value.get('default', true);
    // Unquoted, `default: true` is a YAML boolean; GitHub passes every input as text, so say it as text.
    if (fallback !== undefined && (!isScalar(fallback) || typeof fallback.value !== 'string'))
      report(
        fallback,
        `${what}: quote the default ('${isScalar(fallback) ? String(fallback.value) : '…'}'): inputs are text`,
      );
    if (fallback !== undefined && required?.value === true)
      report(fallback, `${what} is required and has a default; a default never applies to a required input`);
  }
}

function checkOutputs(doc, using, { report, knownKeys, text }) {
  const outputs = nodeAt(doc, 'outputs');
  if (outputs === undefined) return;
  if (!isMap(outputs)) return report(outputs, 'outputs must be a map of output name to its description');
  for (const [name, keyNode, value] of entries(outputs)) {
    const what = `output ${name}`;
    if (!isMap(value)) {
      report(isScalar(value) && value.value !== null ? value : keyNode, `${what} must be a map with a description`);
      continue;
    }
    knownKeys(value, using === 'composite' ? OUTPUT_KEYS : ['description'], what);
    text(value.get('description', true), `${what}: description`);
  }
}

function checkBranding(doc, { report, knownKeys, text }) {
  const branding = nodeAt(doc, 'branding');
  if (branding === undefined)
    return report(doc.contents, 'branding (icon and color) is missing: the Marketplace shows it on the listing');
  if (!isMap(branding)) return report(branding, 'branding must be a map with icon and color');
  knownKeys(branding, ['icon', 'color'], 'branding');
  const color = text(nodeAt(doc, 'branding', 'color'), 'branding.color');
  if (color !== undefined && !COLORS.includes(color))
    report(nodeAt(doc, 'branding', 'color'), `branding.color must be one of ${COLORS.join(', ')}, not "${color}"`);
  const icon = text(nodeAt(doc, 'branding', 'icon'), 'branding.icon');
  if (icon !== undefined && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(icon))
    report(
      nodeAt(doc, 'branding', 'icon'),
      `branding.icon must be the name of a Feather icon, such as users or shield, not "${icon}"`,
    );
}

function main() {
  const file = path.resolve(
    process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'action.yml'),
  );
  const shown = path.relative(process.cwd(), file) || file;
  let problems;
  try {
    problems = checkAction(shown);
  } catch (error) {
    if (!(error instanceof MetadataError)) throw error;
    problems = [error.message];
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    console.error(`${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} in ${shown}`);
    process.exitCode = 1;
    return;
  }
  const { data } = loadYaml(shown);
  console.log(
    `${shown}: valid (${Object.keys(data.inputs ?? {}).length} inputs, ${Object.keys(data.outputs ?? {}).length} outputs, runs.using ${data.runs.using})`,
  );
}

main();
