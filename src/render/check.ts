// The check report for a terminal, for markdown (the action's job summary) and as JSON. Details carry
// server messages and names the user typed, so every one goes through escape.ts.
import { escapeControls, escapeMarkdownInline, inlineCode } from '../escape.js';
import { tailnetLabel } from './format.js';
import type { CheckItem, CheckOutcome, CheckReport } from '../check/types.js';

const CREDENTIAL_NAMES: Record<CheckReport['credential']['kind'], string> = {
  'api-key': 'an API key',
  'oauth-client': 'an OAuth client',
  'workload-identity': 'a workload identity',
};

function credentialLine(report: CheckReport): string {
  const { credential } = report;
  const id = credential.id === undefined ? '' : ` (${credential.id})`;
  const user = credential.user === undefined ? '' : `, acting as ${credential.user.login} (${credential.user.role})`;
  const expires = credential.expires === undefined ? '' : `, expires ${credential.expires}`;
  return `${CREDENTIAL_NAMES[credential.kind]}${id}${user}${expires}`;
}

function titles(items: readonly CheckItem[]): string {
  return items.map((i) => i.title).join(', ');
}

/** One sentence: can plan run, can apply run, and which items stand in the way. */
export function checkVerdict(report: CheckReport): string {
  const blocking = (need: 'plan' | 'apply') =>
    report.items.filter((i) => i.outcome !== 'ok' && i.neededBy.includes(need));
  if (!report.canPlan) return `Not ready: plan cannot run (${titles(blocking('plan'))}), nor can apply.`;
  if (report.canApply) return 'Ready: plan and apply can both run.';
  const apply = `apply cannot (${titles(blocking('apply'))})`;
  return report.need === 'plan'
    ? `Ready for plan; ${apply}, which was not asked for.`
    : `Not ready: plan can run, but ${apply}.`;
}

function inferredNote(report: CheckReport): string | undefined {
  if (!report.items.some((i) => i.method === 'inferred')) return undefined;
  const from =
    report.credential.kind === 'api-key'
      ? "the role of the key's user and the key's own scopes"
      : 'the scopes the token answer lists';
  return `Writes were judged from ${from}, not tried: check writes nothing.`;
}

const MARK: Record<CheckOutcome, string> = { ok: 'ok', fail: 'FAIL', unknown: '??', skipped: '--' };
const ANSI: Record<CheckOutcome, string> = {
  ok: '\x1b[32m',
  fail: '\x1b[31m',
  unknown: '\x1b[33m',
  skipped: '\x1b[2m',
};

export function renderCheckText(report: CheckReport, options: { color: boolean }): string {
  const paint = (outcome: CheckOutcome, text: string) => (options.color ? `${ANSI[outcome]}${text}\x1b[0m` : text);
  const width = Math.max(...report.items.map((i) => i.title.length));
  const out = [
    `Tailnet ${escapeControls(tailnetLabel(report))} at ${escapeControls(report.host)}, with ` +
      `${escapeControls(credentialLine(report))}`,
    '',
  ];
  for (const item of report.items) {
    const how = item.method === 'none' ? '' : `  [${item.method}]`;
    out.push(
      `  ${paint(item.outcome, MARK[item.outcome].padEnd(4))}  ${item.title.padEnd(width)}  ` +
        `${escapeControls(item.detail)}${how}`,
    );
    const indent = ' '.repeat(8 + width);
    if (item.cause !== undefined) out.push(`${indent}cause: ${escapeControls(item.cause)}`);
    if (item.fix !== undefined) out.push(`${indent}fix:   ${escapeControls(item.fix)}`);
  }
  if (report.hints.length > 0) {
    out.push('', 'Hints:');
    for (const hint of report.hints) out.push(`  - ${escapeControls(hint.message)}`);
  }
  const note = inferredNote(report);
  out.push('', ...(note === undefined ? [] : [note]), paint(report.ok ? 'ok' : 'fail', checkVerdict(report)));
  return `${out.join('\n')}\n`;
}

const EMOJI: Record<CheckOutcome, string> = { ok: '✅', fail: '❌', unknown: '❔', skipped: '⏭️' };

function itemRow(item: CheckItem): string {
  const scope = item.scope === undefined ? '' : ` ${inlineCode(item.scope)}`;
  const cells = [
    EMOJI[item.outcome],
    `${escapeMarkdownInline(item.title)}${scope}`,
    escapeMarkdownInline(item.detail),
    item.method === 'none' ? '' : item.method,
  ];
  return `| ${cells.join(' | ')} |`;
}

export function renderCheckMarkdown(report: CheckReport, options: { heading?: string } = {}): string {
  const blocks: string[] = [
    `### ${escapeMarkdownInline(options.heading ?? 'tailnet-access check')}`,
    `**${escapeMarkdownInline(checkVerdict(report))}**`,
    `Tailnet ${inlineCode(tailnetLabel(report))} at ${inlineCode(report.host)}, with ` +
      `${escapeMarkdownInline(credentialLine(report))}.`,
    ['| | Capability | Result | How |', '| --- | --- | --- | --- |', ...report.items.map(itemRow)].join('\n'),
  ];
  const problems = report.items.filter((i) => i.cause !== undefined);
  if (problems.length > 0) {
    const list = problems.map((i) => {
      const fix = i.fix === undefined ? '' : ` **Fix:** ${escapeMarkdownInline(i.fix)}`;
      return `- **${escapeMarkdownInline(i.title)}:** ${escapeMarkdownInline(i.cause ?? '')}.${fix}`;
    });
    blocks.push(`**What to do**\n\n${list.join('\n')}`);
  }
  if (report.hints.length > 0)
    blocks.push(`**Hints**\n\n${report.hints.map((h) => `- ${escapeMarkdownInline(h.message)}`).join('\n')}`);
  const note = inferredNote(report);
  if (note !== undefined) blocks.push(`_${escapeMarkdownInline(note)}_`);
  return `${blocks.join('\n\n')}\n`;
}

/** The report as 2-space-indented JSON, keys in a fixed order. */
export function renderCheckJson(report: CheckReport): string {
  const items = report.items.map((i) => ({
    id: i.id,
    title: i.title,
    outcome: i.outcome,
    method: i.method,
    ...(i.scope === undefined ? {} : { scope: i.scope }),
    detail: i.detail,
    ...(i.cause === undefined ? {} : { cause: i.cause }),
    ...(i.fix === undefined ? {} : { fix: i.fix }),
    neededBy: i.neededBy,
  }));
  const json = {
    version: report.version,
    ok: report.ok,
    need: report.need,
    canPlan: report.canPlan,
    canApply: report.canApply,
    tailnet: report.tailnet,
    ...(report.tailnetId === undefined ? {} : { tailnetId: report.tailnetId }),
    host: report.host,
    credential: report.credential,
    items,
    hints: report.hints,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
