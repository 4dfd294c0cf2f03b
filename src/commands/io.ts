// What a command may touch of the outside world, passed in so tests can run commands in-process.
import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { escapeControlsByLine } from '../plan/escape.js';
import type { ParsedArgs } from './args.js';

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
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
  if (!parent?.isDirectory()) throw new UsageError(`--out ${out}: the folder ${path.dirname(out)} does not exist; create it first, or give another path`);
  try {
    await access(target ? file : folder, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out}: permission denied; give a path you can write to`);
  }
}

/** The command's main output: to --out FILE when given, else standard output. */
export async function emit(ctx: CommandContext, text: string): Promise<void> {
  const out = flag(ctx, 'out');
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (!out) {
    ctx.stdout.write(body);
    return;
  }
  try {
    await writeFile(resolvePath(ctx, out), body);
  } catch (error) {
    throw new UsageError(`cannot write --out ${out} (${errorCode(error) ?? String(error)}); the output was not saved`);
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
