// The command line: argv -> a command, and every failure -> one clear message and exit 1. Messages
// go through redact() so a secret can never reach the terminal or a CI log through an error.
import { classifyFailure } from '../engine/failure.js';
import { UsageError } from '../errors.js';
import { EXIT_ERROR } from '../exit-codes.js';
import { escapeControlsByLine } from '../escape.js';
import { redact } from '../secrets.js';
import { VERSION } from '../version.js';
import { runApply } from './apply.js';
import { commandUsage, isVersionRequest, parseCommandLine, usage, type CommandName } from './args.js';
import { runCheck } from './check.js';
import { runCreateOAuthApp } from './create-oauth-app.js';
import { runDemo } from './demo.js';
import { runImport } from './import.js';
import { failureText } from './failure-text.js';
import {
  checkOut,
  confirmOutput,
  flag,
  OutputLostError,
  printOut,
  type CommandContext,
  type CommandIO,
} from './context.js';
import { runPlan } from './plan.js';
import { runProvision } from './provision.js';
import { runRender } from './render.js';
import { runSimulate } from './simulate.js';
import { runValidate } from './validate.js';

type Runner = (ctx: CommandContext) => Promise<number>;

const RUNNERS: Partial<Record<CommandName, Runner>> = {
  plan: runPlan,
  apply: runApply,
  drift: runPlan,
  simulate: runSimulate,
  demo: runDemo,
  check: runCheck,
  import: runImport,
  'create-oauth-app': runCreateOAuthApp,
  provision: runProvision,
  render: runRender,
  validate: runValidate,
};

export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  // The config file as messages name it, once the command line is read.
  let configShown: string | undefined;
  try {
    if (isVersionRequest(argv)) {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const args = parseCommandLine(argv);
    if (args.help || args.command === undefined) {
      await printOut(io, `${args.command === undefined ? usage() : commandUsage(args.command)}\n`);
      return 0;
    }
    const runner = RUNNERS[args.command];
    if (!runner) throw new UsageError(`the ${args.command} command is not available in this build yet`);
    const ctx = { ...io, args };
    configShown = flag(ctx, 'config') || undefined;
    await checkOut(ctx);
    const code = await runner(ctx);
    // Output a command wrote on its own (not through emit) that did not arrive is an error too.
    await confirmOutput(io);
    return code;
  } catch (error) {
    // A message can quote a server or a file: its controls are shown, not sent to the terminal.
    io.stderr.write(`${escapeControlsByLine(redact(describeFailure(error, configShown, io.env)))}\n`);
    return EXIT_ERROR;
  }
}

/** The message for a command's failure: the engine's classification, in the CLI's words. */
function describeFailure(
  error: unknown,
  configShown = 'tailnet-access.yaml',
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (error instanceof OutputLostError) return `error: ${error.message}`;
  return failureText(classifyFailure(error, configShown, Boolean(env.TAILNET_ACCESS_DEBUG)));
}
