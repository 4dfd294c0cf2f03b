// `validate`: the check of the files alone, as `terraform validate` is: the YAML, its schema and rules,
// and under settings.policyFile the policy file's HuJSON and its groups. No credential, no network.
// Exit 0 when there are no errors (warnings are shown), 1 when there are.
import { loadConfig } from '../config/load.js';
import { EXIT_ERROR, EXIT_OK } from '../exit-codes.js';
import { renderCommandFor } from '../policy-file/not-rendered.js';
import { repositoryBoundary } from '../files/boundary.js';
import { policyFileLocation, readPolicyFileAt } from '../policy-file/source.js';
import { checkFiles, type FileCheck } from '../validate/check-files.js';
import { renderValidationJson, renderValidationMarkdown, renderValidationText } from '../render/validation.js';
import { configPath, emit, refuseOutOnto, resolvePath, type CommandContext } from './context.js';

function render(ctx: CommandContext, check: FileCheck): string {
  switch (ctx.args.format) {
    case 'json':
      return renderValidationJson(check);
    case 'markdown':
      return renderValidationMarkdown(check, { heading: 'tailnet-access validate' });
    case 'text':
      return renderValidationText(check);
  }
}

export async function runValidate(ctx: CommandContext): Promise<number> {
  const shown = configPath(ctx);
  const file = resolvePath(ctx, shown);
  await refuseOutOnto(ctx, [{ file: shown, what: `the config file ${shown}` }]);
  const check = await checkFiles({
    config: shown,
    load: () => loadConfig(file, shown),
    // As plan reads it: only a policy file inside the config's repository, and never onto --out.
    readPolicyFile: async (config) => {
      const location = policyFileLocation(config.desired, file, repositoryBoundary(file));
      if (!location) return undefined;
      await refuseOutOnto(ctx, [{ file: location.path, what: `the policy file ${location.shown}` }]);
      return readPolicyFileAt(config.desired, location);
    },
    renderCommand: renderCommandFor(shown),
  });
  await emit(ctx, render(ctx, check));
  return check.errors.length > 0 ? EXIT_ERROR : EXIT_OK;
}
