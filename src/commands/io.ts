// What a command may touch of the outside world, passed in so tests can run commands in-process.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
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

/** The command's main output: to --out FILE when given, else standard output. */
export async function emit(ctx: CommandContext, text: string): Promise<void> {
  const out = flag(ctx, 'out');
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (out) await writeFile(resolvePath(ctx, out), body);
  else ctx.stdout.write(body);
}

export function note(ctx: CommandContext, text: string): void {
  ctx.stderr.write(`${text}\n`);
}

/** A path from a flag, relative to the command's working directory. */
export function resolvePath(ctx: CommandIO, file: string): string {
  return path.resolve(ctx.cwd, file);
}

/** The config file: --config, else tailnet-access.yaml; shown to users as given. */
export function configPath(ctx: CommandContext): string {
  return flag(ctx, 'config') ?? 'tailnet-access.yaml';
}
