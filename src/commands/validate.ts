// `validate`: the check of the files alone, as `terraform validate` is: the YAML, its schema and rules,
// and under settings.policyFile the policy file's HuJSON and its groups. No credential, no network.
// Exit 0 when there are no errors (warnings are shown), 1 when there are.
import { loadConfig } from '../config/load.js';
import { EXIT_ERROR, EXIT_OK } from '../exit-codes.js';
import { renderCommandFor } from '../policy-file/not-rendered.js';
import { readPolicyFile } from '../policy-file/source.js';
import { checkFiles, type FileCheck } from '../validate/check-files.js';
import { renderValidationJson, renderValidationMarkdown, renderValidationText } from '../validate/render-validation.js';
import { configPath, emit, resolvePath, type CommandContext } from './io.js';

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
  const check = await checkFiles({
    config: shown,
    load: () => loadConfig(file, shown),
    readPolicyFile: (config) => readPolicyFile(config.desired, file),
    renderCommand: renderCommandFor(shown),
  });
  await emit(ctx, render(ctx, check));
  return check.errors.length > 0 ? EXIT_ERROR : EXIT_OK;
}
