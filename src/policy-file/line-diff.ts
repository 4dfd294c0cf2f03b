// Line diffs of policy texts: Myers' O(ND) algorithm over whole lines, as `diff -u` and git show them.
// Used to show a policy change live -> desired, to show what was edited outside git, to map a position
// in the rendered policy back to the file in the repository, and to tell whether an edit made outside
// git is already in the file. Lines keep their terminators, so a CRLF or a missing final newline is a
// difference like any other.
import type { UnifiedDiff } from '../domain/policy-file.js';

/** A maximal run of changed lines: old lines [oldStart, oldEnd) became new lines [newStart, newEnd) (0-based). */
export interface LineChange {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/** The lines of a text, each with its `\n`; the last one lacks it when the text does not end with one. */
export function splitLines(text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

// Beyond this many differing lines the shortest edit is not worth its memory (it grows with the
// square of the difference): the differing middle is shown as one replacement instead.
const MAX_EDIT_DISTANCE = 2000;

/** The changed runs turning `a` into `b`, in order. Equal texts give none. */
export function lineChanges(a: readonly string[], b: readonly string[]): LineChange[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  if (start === endA && start === endB) return [];
  const ops = shortestEdit(a.slice(start, endA), b.slice(start, endB));
  if (!ops) return [{ oldStart: start, oldEnd: endA, newStart: start, newEnd: endB }];
  return runs(ops, start);
}

type Op = '=' | '-' | '+';

function runs(ops: readonly Op[], offset: number): LineChange[] {
  const changes: LineChange[] = [];
  let x = offset;
  let y = offset;
  let open: LineChange | undefined;
  for (const op of ops) {
    if (op === '=') {
      open = undefined;
      x++;
      y++;
      continue;
    }
    if (!open) {
      open = { oldStart: x, oldEnd: x, newStart: y, newEnd: y };
      changes.push(open);
    }
    if (op === '-') open.oldEnd = ++x;
    else open.newEnd = ++y;
  }
  return changes;
}

/** Myers' greedy forward search with its trace kept for the walk back; undefined past MAX_EDIT_DISTANCE. */
function shortestEdit(a: readonly string[], b: readonly string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice(offset - d, offset + d + 1));
        return walkBack(trace, n, m);
      }
    }
    trace.push(v.slice(offset - d, offset + d + 1));
  }
  return undefined;
}

function walkBack(trace: readonly Int32Array[], n: number, m: number): Op[] {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const previous = trace[d - 1] as Int32Array;
    // `previous` covers diagonals -(d-1)..(d-1); index i holds diagonal i - (d - 1).
    const at = (k: number): number => previous[k + d - 1] ?? 0;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    const midX = down ? prevX : prevX + 1;
    const midY = down ? prevY + 1 : prevY;
    while (x > midX && y > midY) {
      ops.push('=');
      x--;
      y--;
    }
    ops.push(down ? '+' : '-');
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push('=');
    x--;
    y--;
  }
  return ops.reverse();
}

export interface UnifiedDiffOptions {
  oldName: string;
  newName: string;
  /** Unchanged lines shown around each change; default 3, as `diff -u`. */
  context?: number;
}

function shown(line: string, sign: string): string[] {
  const body = line.endsWith('\n') ? line.slice(0, line.endsWith('\r\n') ? -2 : -1) : line;
  return line.endsWith('\n') ? [`${sign}${body}`] : [`${sign}${body}`, '\\ No newline at end of file'];
}

function range(start: number, count: number): string {
  // diff -u names the line before an empty range, and leaves out a count of 1.
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

/** The difference of two texts in unified format, with line counts. */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions): UnifiedDiff {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const changes = lineChanges(a, b);
  if (changes.length === 0) return { text: '', added: 0, removed: 0 };
  const context = options.context ?? 3;
  const out = [`--- ${options.oldName}`, `+++ ${options.newName}`];
  let added = 0;
  let removed = 0;
  for (let i = 0; i < changes.length;) {
    // A hunk takes the changes whose context would touch or overlap.
    let j = i;
    while (
      j + 1 < changes.length &&
      (changes[j + 1] as LineChange).oldStart - (changes[j] as LineChange).oldEnd <= 2 * context
    )
      j++;
    const first = changes[i] as LineChange;
    const last = changes[j] as LineChange;
    const oldFrom = Math.max(0, first.oldStart - context);
    const newFrom = first.newStart - (first.oldStart - oldFrom);
    const oldTo = Math.min(a.length, last.oldEnd + context);
    const newTo = last.newEnd + (oldTo - last.oldEnd);
    const body: string[] = [];
    let x = oldFrom;
    for (let c = i; c <= j; c++) {
      const change = changes[c] as LineChange;
      for (; x < change.oldStart; x++) body.push(...shown(a[x] ?? '', ' '));
      for (let r = change.oldStart; r < change.oldEnd; r++) body.push(...shown(a[r] ?? '', '-'));
      for (let s = change.newStart; s < change.newEnd; s++) body.push(...shown(b[s] ?? '', '+'));
      removed += change.oldEnd - change.oldStart;
      added += change.newEnd - change.newStart;
      x = change.oldEnd;
    }
    for (; x < oldTo; x++) body.push(...shown(a[x] ?? '', ' '));
    out.push(`@@ -${range(oldFrom, oldTo - oldFrom)} +${range(newFrom, newTo - newFrom)} @@`, ...body);
    i = j + 1;
  }
  return { text: `${out.join('\n')}\n`, added, removed };
}

/**
 * The 1-based line of the old text that new line `line` (1-based) stands for: the same line when it
 * is outside every change, else the first line the change replaced (or the line after an insertion).
 */
export function oldLineOf(changes: readonly LineChange[], line: number): { line: number; exact: boolean } {
  let shift = 0;
  for (const change of changes) {
    if (line - 1 < change.newStart) break;
    if (line - 1 < change.newEnd) return { line: change.oldStart + 1, exact: false };
    shift += change.oldEnd - change.oldStart - (change.newEnd - change.newStart);
  }
  return { line: line + shift, exact: true };
}

/**
 * Whether `ours` already holds every change `theirs` made to `base`: each changed run of base -> theirs
 * is also a run of base -> ours, replacing the same lines with the same lines. Cautious by design: an
 * edit that ours made differently, or merged with a neighbouring change, counts as not held.
 */
export function holdsChanges(base: string, theirs: string, ours: string): boolean {
  const baseLines = splitLines(base);
  const theirLines = splitLines(theirs);
  const ourLines = splitLines(ours);
  const key = (c: LineChange, lines: readonly string[]): string =>
    `${c.oldStart}:${c.oldEnd}:${lines.slice(c.newStart, c.newEnd).join('')}`;
  const held = new Set(lineChanges(baseLines, ourLines).map((c) => key(c, ourLines)));
  return lineChanges(baseLines, theirLines).every((c) => held.has(key(c, theirLines)));
}
