// `create-oauth-app`: create an OAuth app, or find the one of that name (contract.md §2). The client
// secret, shown by Tailscale only once, goes into a 0600 file (`--secret-file`, or a new one whose
// path is printed), or to standard output alone with `--print-secret`; it is never part of the report.
// Exit 0: created, updated, or already as asked; 2: an app of that name differs and --update was not
// given (nothing changed, like drift); 1: an error.
import { UsageError } from '../errors.js';
import { EXIT_CHANGES, EXIT_OK } from '../exit-codes.js';
import { formatDifferences } from '../oauth/app-compare.js';
import { validateOAuthAppInput, type OAuthAppDraft } from '../oauth/app-input.js';
import { createOrFindOAuthApp, type CreateOrFindResult } from '../oauth/create-or-find.js';
import { secretFileSink, stdoutSecretSink } from '../oauth/secret-file.js';
import type { OAuthApp } from '../tailscale/types.js';
import { resolveBaseUrl } from './connection.js';
import { emit, flag, flags, isSet, note, refuseOutOnto, resolvePath, type CommandContext } from './context.js';
import { withClient } from './session.js';

function draftFrom(ctx: CommandContext): OAuthAppDraft {
  const name = flag(ctx, 'name');
  if (name === undefined)
    throw new UsageError('create-oauth-app: --name is required (3 to 50 letters, digits, ".", "_" or "-")');
  const scopes = flags(ctx, 'scope');
  return {
    name,
    description: flag(ctx, 'description'),
    redirectURIs: flags(ctx, 'redirect-uri'),
    scopes: scopes.length > 0 ? scopes : undefined,
    allowedNodeAttributes: flags(ctx, 'allowed-node-attribute'),
  };
}

function describeApp(app: OAuthApp): string[] {
  const list = (values: readonly string[] | undefined): string =>
    values && values.length > 0 ? values.join(', ') : '(none)';
  return [
    `  client ID:        ${app.id}`,
    `  description:      ${app.description ? JSON.stringify(app.description) : '(none)'}`,
    `  redirect URIs:    ${list(app.redirectURIs)}`,
    `  scopes:           ${list(app.scopes)}`,
    `  node attributes:  ${list(app.allowedNodeAttributes)}`,
  ];
}

function renderText(result: CreateOrFindResult): string {
  const { app } = result;
  const title = `OAuth app "${app.name}" (ID ${app.id})`;
  switch (result.outcome) {
    case 'created':
      return [
        `Created ${title}:`,
        ...describeApp(app),
        `Its client secret is in ` +
          `${result.secretStoredIn}${result.secretStoredIn === 'standard output' ? '' : ' (mode 0600)'}.`,
        'Tailscale shows it only this once: move it to your secret store now.',
      ].join('\n');
    case 'unchanged':
      return [
        `${title} already exists with these settings; nothing was changed.`,
        ...describeApp(app),
        'Its client secret is not shown again; if you no longer have it, delete the app and run this again.',
      ].join('\n');
    case 'differs':
      return [
        `${title} already exists with other settings; nothing was changed (+ asked for, - present now):`,
        ...formatDifferences(result.differences).map((line) => `  ${line}`),
        'Run again with --update to replace its settings (the client secret stays the same).',
      ].join('\n');
    case 'updated':
      return [
        `Updated ${title}; its client secret stays the same. Changed (+ added, - removed):`,
        ...formatDifferences(result.differences).map((line) => `  ${line}`),
        ...describeApp(app),
      ].join('\n');
  }
}

function renderJson(result: CreateOrFindResult): string {
  const { app } = result;
  return JSON.stringify(
    {
      outcome: result.outcome,
      app: { ...app, clientId: app.id },
      differences: result.outcome === 'differs' || result.outcome === 'updated' ? result.differences : [],
      ...(result.outcome === 'created' ? { secretStoredIn: result.secretStoredIn } : {}),
    },
    null,
    2,
  );
}

export async function runCreateOAuthApp(ctx: CommandContext): Promise<number> {
  const draft = draftFrom(ctx);
  const secretFile = flag(ctx, 'secret-file');
  const printSecret = isSet(ctx, 'print-secret');
  if (printSecret && secretFile !== undefined)
    throw new UsageError('create-oauth-app: give --secret-file or --print-secret, not both');
  if (printSecret && flag(ctx, 'out') !== undefined)
    throw new UsageError(
      'create-oauth-app: --print-secret writes the secret to standard output; it cannot be combined with --out',
    );
  // Refuse bad settings before the credential is even looked at.
  validateOAuthAppInput(draft);
  // The secret is shown once: a report written over its file would lose it.
  if (secretFile !== undefined)
    await refuseOutOnto(ctx, [
      { file: secretFile, what: `the --secret-file ${secretFile}, where the client secret goes` },
    ]);
  const secretSink = printSecret
    ? stdoutSecretSink(ctx.stdout)
    : secretFileSink(secretFile === undefined ? undefined : resolvePath(ctx, secretFile));
  const baseUrl = resolveBaseUrl(flag(ctx, 'base-url'), ctx.env);
  const result = await withClient(ctx, undefined, (client) =>
    createOrFindOAuthApp(draft, { client, secretSink, update: isSet(ctx, 'update'), baseUrl }),
  );
  const report = ctx.args.format === 'json' ? renderJson(result) : renderText(result);
  // With --print-secret, standard output carries the secret alone, so the report goes to stderr.
  if (printSecret) note(ctx, report);
  else await emit(ctx, report);
  return result.outcome === 'differs' ? EXIT_CHANGES : EXIT_OK;
}
