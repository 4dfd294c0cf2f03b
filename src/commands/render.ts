// `render`: write the groups of tailnet-access.yaml into the policy file of settings.policyFile, in
// place, and nothing else. Offline: no credentials, no API. `--check` writes nothing and exits 1 when
// the file is not what render would make of it (an error to fix, like a failed lint: exit 2 is the
// contract's "tailnet changes pending", which this is not). `--from-live` does the opposite: it copies
// the live policy into the file, to fold an edit made in the admin console into git.
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { ConfigFileError, loadConfig, type LoadedConfig } from '../config/load.js';
import { formatDiagnostic } from '../diagnostics.js';
import { UsageError } from '../errors.js';
import { EXIT_ERROR, EXIT_OK } from '../exit-codes.js';
import { repositoryBoundary } from '../files/boundary.js';
import { readTextFile, UnreadableFileError } from '../files/read-regular.js';
import { unifiedDiff } from '../policy-file/line-diff.js';
import type { UnifiedDiff } from '../domain/policy-file.js';
import { etagLabel } from '../domain/policy.js';
import { groupsDiffering, notRenderedDiagnostic, renderCommandFor, shellWord } from '../policy-file/not-rendered.js';
import { lineCounts, safeLine } from '../render/plan-policy-file.js';
import {
  MAX_POLICY_BYTES,
  policyFileLocation,
  readPolicyFileAt,
  renderPolicyFile,
  type PolicyFile,
  type PolicyFileLocation,
} from '../policy-file/source.js';
import { configPath, emit, isSet, note, refuseOutOnto, resolvePath, type CommandContext } from './context.js';
import { withClient } from './session.js';

interface Outcome {
  file: string;
  /** The file differs from what it should be. */
  changed: boolean;
  written: boolean;
  diff: UnifiedDiff;
}

function show(ctx: CommandContext, outcome: Outcome, sentence: string): Promise<void> {
  if (ctx.args.format === 'json') {
    const { file, changed, written, diff } = outcome;
    return emit(
      ctx,
      JSON.stringify(
        { file, changed, written, linesAdded: diff.added, linesRemoved: diff.removed, diff: diff.text },
        null,
        2,
      ),
    );
  }
  const lines = outcome.diff.text === '' ? [] : outcome.diff.text.replace(/\n$/, '').split('\n').map(safeLine);
  if (ctx.args.format === 'markdown' && lines.length > 0)
    return emit(ctx, `${sentence}\n\n\`\`\`diff\n${lines.join('\n')}\n\`\`\``);
  return emit(ctx, [sentence, ...lines].join('\n'));
}

async function located(ctx: CommandContext, config: LoadedConfig, shown: string): Promise<PolicyFileLocation> {
  const file = resolvePath(ctx, shown);
  const location = policyFileLocation(config.desired, file, repositoryBoundary(file));
  if (!location) {
    throw new UsageError(
      `${shown} has no settings.policyFile, so there is no policy file to render; add "policyFile: policy.hujson" ` +
        `under settings (import --policy-file writes it for you)`,
    );
  }
  await refuseOutOnto(ctx, [{ file: location.path, what: `the policy file ${location.shown}` }]);
  return location;
}

async function render(ctx: CommandContext, config: LoadedConfig, shown: string, file: PolicyFile): Promise<number> {
  const rendered = renderPolicyFile(config.desired, file);
  const diff = unifiedDiff(file.text, rendered, {
    oldName: `${file.shown} (as it is)`,
    newName: `${file.shown} (rendered from ${shown})`,
  });
  const outcome = { file: file.shown, changed: rendered !== file.text, written: false, diff };
  if (isSet(ctx, 'check')) {
    const problem = notRenderedDiagnostic(file, rendered, shown, renderCommandFor(shown));
    if (!problem) {
      await show(ctx, outcome, `${file.shown} holds the groups of ${shown}.`);
      return EXIT_OK;
    }
    await show(
      ctx,
      outcome,
      `${file.shown} is not rendered from ${shown} (${lineCounts(diff.added, diff.removed)} would change):`,
    );
    note(ctx, formatDiagnostic(problem));
    return EXIT_ERROR;
  }
  if (!outcome.changed) {
    await show(ctx, outcome, `${file.shown} already holds the groups of ${shown}; nothing to write.`);
    return EXIT_OK;
  }
  await writeFileAtomic(file.path, rendered);
  await show(
    ctx,
    { ...outcome, written: true },
    `Rendered the groups of ${shown} into ${file.shown} (${lineCounts(diff.added, diff.removed)}):`,
  );
  return EXIT_OK;
}

async function currentText(location: PolicyFileLocation): Promise<string> {
  try {
    return await readTextFile(location.path, MAX_POLICY_BYTES);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    if (error.reason === 'missing') return '';
    throw new UsageError(`${error.describe(`the policy file ${location.shown}`)}; nothing was written`);
  }
}

async function fromLive(
  ctx: CommandContext,
  config: LoadedConfig,
  shown: string,
  location: PolicyFileLocation,
): Promise<number> {
  const live = await withClient(ctx, config.desired, (client) => client.getPolicy());
  const before = await currentText(location);
  const diff = unifiedDiff(before, live.text, {
    oldName: `${location.shown} (as it was)`,
    newName: `live policy (ETag ${etagLabel(live.etag)})`,
  });
  const outcome = { file: location.shown, changed: before !== live.text, written: before !== live.text, diff };
  if (outcome.written) await writeFileAtomic(location.path, live.text);
  const what = outcome.written
    ? `Wrote the live policy (ETag ${etagLabel(live.etag)}) into ${location.shown} ` +
      `(${lineCounts(diff.added, diff.removed)}):`
    : `${location.shown} already holds the live policy; nothing to write.`;
  await show(ctx, outcome, what);
  const differing = groupsDiffering(live.text, renderPolicyFile(config.desired, { ...location, text: live.text }));
  if (differing.length === 0) {
    note(ctx, `Its groups agree with ${shown}. Review the change and commit it; the next apply keeps the edit.`);
  } else {
    note(
      ctx,
      `Its groups differ from ${shown} in ${differing.join(', ')}. To keep the live members, change ${shown} to ` +
        `match (\`${renderCommandFor(shown, ' --check')}\` then passes); to keep the YAML's, run ` +
        `\`${renderCommandFor(shown)}\`. Then commit both files.`,
    );
  }
  return EXIT_OK;
}

/** With --from-live and no config yet, the way to start is import, which writes both files. */
async function loadRenderConfig(ctx: CommandContext, shown: string): Promise<LoadedConfig> {
  try {
    return await loadConfig(resolvePath(ctx, shown), shown);
  } catch (error) {
    if (
      !isSet(ctx, 'from-live') ||
      !(error instanceof ConfigFileError) ||
      !(error.cause instanceof UnreadableFileError) ||
      error.cause.reason !== 'missing'
    )
      throw error;
    const policy = path.join(path.dirname(shown), 'policy.hujson');
    const config = shown === 'tailnet-access.yaml' ? '' : ` --config ${shellWord(shown)}`;
    throw new UsageError(
      `${shown} does not exist, so there is no settings.policyFile to copy the live policy into. To start keeping ` +
        `the policy in git, run \`tailnet-access import --policy-file ${shellWord(policy)}${config}\`: it writes ` +
        `the live policy into ${policy}, byte for byte, and a ${shown} that points at it`,
    );
  }
}

export async function runRender(ctx: CommandContext): Promise<number> {
  if (isSet(ctx, 'check') && isSet(ctx, 'from-live'))
    throw new UsageError(
      'render: --check and --from-live do not go together (--from-live writes the file; --check never writes)',
    );
  const shown = configPath(ctx);
  await refuseOutOnto(ctx, [{ file: shown, what: `the config file ${shown}` }]);
  const config = await loadRenderConfig(ctx, shown);
  const location = await located(ctx, config, shown);
  if (isSet(ctx, 'from-live')) return fromLive(ctx, config, shown, location);
  return render(ctx, config, shown, await readPolicyFileAt(config.desired, location));
}
