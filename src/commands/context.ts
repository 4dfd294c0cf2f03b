// A command's context: what it may touch of the outside world (argv, environment, working directory,
// standard output and error), passed in so tests can run commands in process; and the flag, path and
// output helpers every command uses on it.
import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { sameFile } from '../files/same-file.js';
import { escapeControlsByLine } from '../escape.js';
import type { ParsedArgs } from './args.js';

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
  /**
   * Once what was written so far is out: the first write that failed and was not asked about yet
   * (EPIPE from a reader that went away, ENOSPC from a full disk). Absent on streams that cannot fail.
   */
  takeWriteError?(): Promise<NodeJS.ErrnoException | undefined>;
}

export interface CommandIO {
  env: Readonly<Record<string, string | undefined>>;
  stdout: Stream;
  stderr: Stream;
  cwd: string;
}

export interface CommandContext extends CommandIO {
  args: ParsedArgs;
}

export function flag(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function flags(ctx: CommandContext, name: string): string[] {
  const v = ctx.args.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function isSet(ctx: CommandContext, name: string): boolean {
  return ctx.args.values[name] === true;
}

/** Colour only on a terminal, unless told otherwise; NO_COLOR (no-color.org) wins over the terminal. */
export function useColor(ctx: CommandContext): boolean {
  if (ctx.args.color !== undefined) return ctx.args.color;
  if (ctx.env.NO_COLOR) return false;
  return ctx.stdout.isTTY === true && flag(ctx, 'out') === undefined;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Checks that --out names a file that can be written, before the command does anything: the output
 * comes last, after apply has already changed the tailnet, too late to find out its folder is wrong.
 * Creates nothing, so a command that fails leaves no empty file behind.
 */
export async function checkOut(ctx: CommandContext): Promise<void> {
  const out = flag(ctx, 'out');
  if (out === undefined) return;
  if (out === '') throw new UsageError('--out needs a file name');
  const file = resolvePath(ctx, out);
  const target = await stat(file).catch(() => undefined);
  if (target?.isDirectory()) throw new UsageError(`--out ${out} is a directory; give the path of a file to write`);
  const folder = path.dirname(file);
  const parent = await stat(folder).catch(() => undefined);
  if (!parent?.isDirectory())
    throw new UsageError(
      `--out ${out}: the folder ${path.dirname(out)} does not exist; create it first, or give another path`,
    );
  try {
    await access(target ? file : folder, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out}: permission denied; give a path you can write to`);
  }
}

export interface OutInput {
  /** The file, as a path from the working directory or absolute. */
  file: string;
  /** How the refusal names it, e.g. `the config file tailnet-access.yaml`. */
  what: string;
}

/**
 * Refuses an --out that names one of the command's own inputs (through a symbolic link, a hard link
 * or another spelling too): the output comes last, so it would replace the reviewed config, the policy
 * file or the state file with a report, after apply had already changed the tailnet.
 */
export async function refuseOutOnto(ctx: CommandContext, inputs: readonly OutInput[]): Promise<void> {
  const out = flag(ctx, 'out');
  if (!out) return;
  for (const input of inputs) {
    if (await sameFile(resolvePath(ctx, out), resolvePath(ctx, input.file))) {
      throw new UsageError(`--out ${out} is ${input.what}; the output would replace it, so give --out another file`);
    }
  }
}

/** Output that did not reach standard output or the --out file; says where and why. */
export class OutputLostError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'OutputLostError';
    this.code = code;
  }
}

const WRITE_FAILURES: Record<string, string> = {
  EPIPE: 'the reader closed the pipe',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'over the disk quota',
  EIO: 'an input/output error',
  EBADF: 'it is closed',
};

function lostOutput(where: string, code: string | undefined): OutputLostError {
  const why = code === undefined ? '' : ` (${code}${WRITE_FAILURES[code] ? `: ${WRITE_FAILURES[code]}` : ''})`;
  return new OutputLostError(`cannot write ${where}${why}; the output was not saved`, code);
}

/** Waits until what was written to standard output is out; OutputLostError when some of it was lost. */
export async function confirmOutput(ctx: CommandIO): Promise<void> {
  const failure = await ctx.stdout.takeWriteError?.();
  if (failure) throw lostOutput('to standard output', failure.code);
}

/** `text` on standard output, waiting until it is out; OutputLostError when it cannot get there. */
export async function printOut(ctx: CommandIO, text: string): Promise<void> {
  ctx.stdout.write(text);
  await confirmOutput(ctx);
}

/** The command's main output: to --out FILE when given, else standard output. */
export async function emit(ctx: CommandContext, text: string): Promise<void> {
  const out = flag(ctx, 'out');
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (!out) return printOut(ctx, body);
  try {
    await writeFile(resolvePath(ctx, out), body);
  } catch (error) {
    throw lostOutput(`--out ${out}`, errorCode(error) ?? String(error));
  }
}

/** A line for the person at the terminal, on standard error; controls in quoted text are shown, not obeyed. */
export function note(ctx: CommandContext, text: string): void {
  ctx.stderr.write(`${escapeControlsByLine(text)}\n`);
}

/** A path from a flag, relative to the command's working directory. */
export function resolvePath(ctx: CommandIO, file: string): string {
  return path.resolve(ctx.cwd, file);
}

/** The config file: --config, else tailnet-access.yaml; shown to users as given. */
export function configPath(ctx: CommandContext): string {
  const given = flag(ctx, 'config');
  if (given === '') throw new UsageError('--config needs a file name (it defaults to tailnet-access.yaml)');
  return given ?? 'tailnet-access.yaml';
}
