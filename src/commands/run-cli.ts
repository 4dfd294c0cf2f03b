// The command line: argv -> a command, and every failure -> one clear message and exit 1. Messages
// go through redact() so a secret can never reach the terminal or a CI log through an error.
import { ConfigFileError } from '../config/load.js';
import { DiagnosticsError, formatDiagnostic } from '../diagnostics.js';
import { RefusedError, UsageError } from '../errors.js';
import { EXIT_ERROR } from '../exit-codes.js';
import { escapeControlsByLine } from '../escape.js';
import { redact } from '../secrets.js';
import { TailscaleError } from '../tailscale/client.js';
import { VERSION } from '../version.js';
import { runApply } from './apply.js';
import { commandUsage, isVersionRequest, parseCommandLine, usage, type CommandName } from './args.js';
import { runCheck } from './check.js';
import { runCreateOAuthApp } from './create-oauth-app.js';
import { runDemo } from './demo.js';
import { runImport } from './import.js';
import { checkOut, confirmOutput, OutputLostError, printOut, type CommandContext, type CommandIO } from './io.js';
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
    await checkOut(ctx);
    const code = await runner(ctx);
    // Output a command wrote on its own (not through emit) that did not arrive is an error too.
    await confirmOutput(io);
    return code;
  } catch (error) {
    // A message can quote a server or a file: its controls are shown, not sent to the terminal.
    io.stderr.write(`${escapeControlsByLine(redact(describeFailure(error)))}\n`);
    return EXIT_ERROR;
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof DiagnosticsError) {
    const n = error.diagnostics.length;
    return `${error.diagnostics.map(formatDiagnostic).join('\n')}\n${n} ${n === 1 ? 'problem' : 'problems'} in the file; nothing was read from or written to the tailnet.`;
  }
  if (error instanceof RefusedError) return `refused by the ${error.rail} rail: ${error.message}`;
  if (error instanceof UsageError || error instanceof ConfigFileError || error instanceof TailscaleError || error instanceof OutputLostError) return `error: ${error.message}`;
  if (error instanceof Error) return `error: ${error.message}${process.env.TAILNET_ACCESS_DEBUG ? `\n${error.stack ?? ''}` : ''}`;
  return `error: ${String(error)}`;
}
