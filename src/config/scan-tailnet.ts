// The tailnet a tailnet-access.yaml names, found without parsing it: a top-level `tailnet:` line with
// a plain or quoted name. It only decides where the reads start while the file is parsed; the parsed
// file decides what counts, and reads started for another tailnet are thrown away (see
// src/engine/reads-first.ts). So a guess that is wrong costs time,
// never correctness, and anything unusual (an alias, a flow mapping, an escape) is no guess at all.
const TOP_LEVEL_TAILNET =
  /^tailnet[ \t]*:[ \t]*(?:"([^"\\\r\n]*)"|'([^'\r\n]*)'|([^\s#'"&*!|>{}[\],%@`][^\s#]*))[ \t]*(?:#.*)?\r?$/m;

/** The name on the file's first top-level `tailnet:` line, when it is written plainly. */
export function scanTailnet(text: string): string | undefined {
  const found = TOP_LEVEL_TAILNET.exec(text);
  if (!found) return undefined;
  const name = found[1] ?? found[2] ?? found[3] ?? '';
  return name === '' ? undefined : name;
}
