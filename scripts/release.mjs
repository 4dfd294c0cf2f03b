// Release checks, shared by the release workflow and .ci/run.
//
//   node scripts/release.mjs vX.Y.Z --notes-file FILE
//     Refuses a tag that is not `v` + package.json's version, or whose version has no dated section
//     in CHANGELOG.md; writes that section (the release notes) to FILE and prints, as name=value
//     lines for $GITHUB_OUTPUT: version, prerelease (true|false) and major-tag (v1 for 1.2.3; empty
//     for 0.x and prereleases, whose users must not be moved along).
//
//   node scripts/release.mjs --check
//     CHANGELOG.md is in the Keep a Changelog shape: an Unreleased section first, then dated version
//     sections newest first, one of them for package.json's version.
//
// --root DIR reads DIR/package.json and DIR/CHANGELOG.md instead of the repository's (for tests).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?$/;
const HEADING = /^## \[([^\]]+)\](?: - (\S+))?\s*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

class ReleaseError extends Error {}

function read(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ReleaseError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function packageVersion(root) {
  const file = path.join(root, 'package.json');
  const { version } = JSON.parse(read(file));
  if (typeof version !== 'string' || !SEMVER.test(version))
    throw new ReleaseError(
      `${file}: "version" must be a semantic version such as 1.2.3, not ${JSON.stringify(version)}`,
    );
  return version;
}

/** The `## [name] - date` sections of the changelog, with their line numbers and bodies. */
function sections(file) {
  const lines = read(file).split(/\r?\n/);
  const found = [];
  lines.forEach((line, index) => {
    if (!line.startsWith('## ')) {
      found.at(-1)?.body.push(line);
      return;
    }
    const match = HEADING.exec(line);
    if (!match)
      throw new ReleaseError(
        `${file}:${index + 1}: a section heading is "## [Unreleased]" or "## [1.2.3] - YYYY-MM-DD", not "${line}"`,
      );
    found.push({ name: match[1], date: match[2], line: index + 1, body: [] });
  });
  // Link definitions ("[1.2.3]: https://…") close the file; they belong to no section.
  for (const section of found) {
    while (section.body.length > 0 && (section.body.at(-1).trim() === '' || /^\[[^\]]+\]: /.test(section.body.at(-1))))
      section.body.pop();
  }
  return found;
}

function compareVersions(a, b) {
  const [, ...pa] = SEMVER.exec(a);
  const [, ...pb] = SEMVER.exec(b);
  for (let i = 0; i < 3; i += 1) if (Number(pa[i]) !== Number(pb[i])) return Number(pa[i]) - Number(pb[i]);
  // A prerelease comes before its release; two prereleases compare as text, which is enough here.
  if (pa[3] === pb[3]) return 0;
  if (pa[3] === undefined) return 1;
  if (pb[3] === undefined) return -1;
  return pa[3] < pb[3] ? -1 : 1;
}

function checkChangelog(root) {
  const file = path.join(root, 'CHANGELOG.md');
  const all = sections(file);
  if (all[0]?.name !== 'Unreleased')
    throw new ReleaseError(
      `${file}: the first section must be "## [Unreleased]", where changes wait for the next release`,
    );
  const versions = all.slice(1);
  for (const [index, section] of versions.entries()) {
    const where = `${file}:${section.line}`;
    if (section.name === 'Unreleased') throw new ReleaseError(`${where}: a second "Unreleased" section`);
    if (!SEMVER.test(section.name))
      throw new ReleaseError(`${where}: "${section.name}" is not a semantic version such as 1.2.3`);
    if (section.date === undefined || !DATE.test(section.date))
      throw new ReleaseError(
        `${where}: version ${section.name} needs its release date, as "## [${section.name}] - YYYY-MM-DD"`,
      );
    if (!section.body.some((line) => line.trim() !== ''))
      throw new ReleaseError(`${where}: version ${section.name} says nothing; list what changed`);
    const newer = versions[index - 1];
    if (newer && compareVersions(newer.name, section.name) <= 0)
      throw new ReleaseError(
        `${where}: ${section.name} comes after ${newer.name}; newest versions come first, each once`,
      );
  }
  const version = packageVersion(root);
  const own = versions.find((section) => section.name === version);
  if (!own)
    throw new ReleaseError(
      `${file}: no "## [${version}] - YYYY-MM-DD" section for package.json's version ${version}; move the Unreleased entries under it`,
    );
  return { version, notes: `${own.body.join('\n').trim()}\n` };
}

function release(root, tag, notesFile) {
  const match = /^v(.+)$/.exec(tag);
  if (!match || !SEMVER.test(match[1]))
    throw new ReleaseError(`the tag "${tag}" is not a release tag: those are v + a semantic version, such as v1.2.3`);
  const { version, notes } = checkChangelog(root);
  if (match[1] !== version)
    throw new ReleaseError(
      `the tag ${tag} does not match package.json's version ${version}: tag v${version}, or set the version (npm version ${match[1]} --no-git-tag-version), rebuild dist/ and commit first`,
    );
  writeFileSync(notesFile, notes);
  const [major] = version.split('.');
  const prerelease = version.includes('-');
  return { version, prerelease, majorTag: prerelease || major === '0' ? '' : `v${major}` };
}

function main() {
  const { values, positionals } = parseArgs({
    options: { check: { type: 'boolean' }, 'notes-file': { type: 'string' }, root: { type: 'string' } },
    allowPositionals: true,
  });
  const root = path.resolve(values.root ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  if (values.check && positionals.length === 0) {
    const { version } = checkChangelog(root);
    console.log(`CHANGELOG.md: in shape; package.json's version ${version} has its section.`);
    return;
  }
  if (positionals.length !== 1 || values['notes-file'] === undefined)
    throw new ReleaseError('usage: release.mjs vX.Y.Z --notes-file FILE | release.mjs --check');
  const result = release(root, positionals[0], values['notes-file']);
  console.log(`version=${result.version}`);
  console.log(`prerelease=${result.prerelease}`);
  console.log(`major-tag=${result.majorTag}`);
}

try {
  main();
} catch (error) {
  // parseArgs words its refusals well enough ("Unknown option '--x'"); anything else is a bug.
  const usage = error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
  if (!(error instanceof ReleaseError) && !usage) throw error;
  console.error(`release: ${error.message}`);
  process.exitCode = 1;
}
