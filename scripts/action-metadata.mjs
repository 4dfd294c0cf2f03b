// Reads action.yml (or a workflow) with the `yaml` package, keeping where each node is, so the
// scripts that check the action's metadata, generate the README's table from it and lint the
// workflows that use it can name the line and column of every problem.
import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';

export class MetadataError extends Error {}

/**
 * A YAML file as plain data, with `at(node)` giving "file:line:column" for a node of its document.
 * Syntax errors and duplicate keys are thrown as one MetadataError listing each at its place.
 */
export function loadYaml(file, text = readFileSync(file, 'utf8')) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset) => lineCounter.linePos(offset ?? 0);
  const where = (offset) => `${file}:${pos(offset).line}:${pos(offset).col}`;
  if (doc.errors.length > 0)
    throw new MetadataError(doc.errors.map((e) => `${where(e.pos[0])}: ${e.message.split('\n')[0]}`).join('\n'));
  return {
    doc,
    data: doc.toJS(),
    at: (node) => where(node?.range?.[0]),
    /** { line, col } of a node, both from 1. */
    position: (node) => pos(node?.range?.[0]),
  };
}

/** The map's entries as [key text, key node, value node], in file order. */
export function entries(node) {
  if (!isMap(node)) return [];
  return node.items.map((pair) => [
    isScalar(pair.key) ? String(pair.key.value) : String(pair.key),
    pair.key,
    pair.value,
  ]);
}

/** The node at a path of keys, or undefined. */
export function nodeAt(doc, ...path) {
  return doc.getIn(path, true);
}

/** action.yml's inputs and outputs, in file order, as the README and the workflow lint need them. */
export function actionInterface(file) {
  const { doc, data } = loadYaml(file);
  const inputs = entries(nodeAt(doc, 'inputs')).map(([name]) => ({ name, ...data.inputs[name] }));
  const outputs = entries(nodeAt(doc, 'outputs')).map(([name]) => ({ name, ...data.outputs[name] }));
  return { inputs, outputs, data };
}
