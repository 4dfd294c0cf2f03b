// The building blocks the plan comment and the apply report share: the checked head of a comment
// (marker, heading, status), collapsible sections, the run link, and diff lines cut to a budget.
import { escapeHtml, escapeMarkdownInline } from '../escape.js';
import type { PlanSection, Sign } from './format.js';

/** An option the caller got wrong (our own code, not the user's file). */
export class RenderOptionsError extends Error {
  override name = 'RenderOptionsError';
}

/** Below GitHub's 65,536-character limit for comments, with room to spare. */
export const DEFAULT_MAX_LENGTH = 65_000;

// GitHub's diff highlighting colours `+`, `-` and `!` (changed); it has no colour for `~`.
const DIFF_MARK: Record<Sign, string> = { '+': '+', '-': '-', '~': '!' };

export interface HeadOptions {
  heading?: string;
  maxLength?: number;
  marker?: string;
}

/** The checked maxLength, and the first blocks: the marker, the heading and the status line. */
export function commentHead(
  options: HeadOptions,
  defaultHeading: string,
  status: string,
): { maxLength: number; head: (string | undefined)[] } {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength <= 0) {
    throw new RenderOptionsError(`maxLength must be a positive integer, got ${maxLength}`);
  }
  // One HTML comment and nothing else, or the "comment" would render (or swallow the body).
  const { marker } = options;
  if (marker !== undefined && !/^<!--(?!>|->)(?:(?!--)[\s\S])*-->$/.test(marker)) {
    throw new RenderOptionsError(
      `marker must be a single HTML comment such as "<!-- tailnet-access -->", got ${JSON.stringify(marker)}`,
    );
  }
  return { maxLength, head: [marker, `### ${escapeMarkdownInline(options.heading ?? defaultHeading)}`, status] };
}

export function runLink(runUrl: string): string {
  let url: URL;
  try {
    url = new URL(runUrl);
  } catch {
    throw new RenderOptionsError(`runUrl must be an absolute http(s) URL, got ${JSON.stringify(runUrl)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RenderOptionsError(`runUrl must be an http(s) URL, got ${JSON.stringify(runUrl)}`);
  }
  // URL already percent-encodes spaces, quotes and angle brackets; parentheses would end the link.
  return `[Workflow run](${url.href.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
}

export function details(summary: string, body: string): string {
  // The blank line after </summary> lets GitHub render the markdown inside.
  return `<details>\n<summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

export function joinBlocks(blocks: readonly (string | undefined)[]): string {
  return `${blocks.filter((b) => b !== undefined && b !== '').join('\n\n')}\n`;
}

export interface DiffLines {
  lines: string[];
  changes: number;
}

/** The diff lines of the first changes that fit in `budget` characters (all of them by default). */
export function diffLines(sections: readonly PlanSection[], budget = Infinity): DiffLines {
  const lines: string[] = [];
  let used = 0;
  let changes = 0;
  for (const section of sections) {
    let titled = false;
    for (const entry of section.entries) {
      const entryLines = entry.map((l) => `${DIFF_MARK[l.sign]} ${l.depth === 1 ? '    ' : ''}${l.text}`);
      const title = titled ? [] : [...(lines.length > 0 ? [''] : []), section.title];
      const cost = [...title, ...entryLines].reduce((sum, l) => sum + l.length + 1, 0);
      if (used + cost > budget) return { lines, changes };
      lines.push(...title, ...entryLines);
      used += cost;
      titled = true;
      changes++;
    }
  }
  return { lines, changes };
}
