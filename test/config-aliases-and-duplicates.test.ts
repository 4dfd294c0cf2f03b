// The file's rough edges a new user ran into: a YAML alias inside its own anchor is refused at the
// alias (not with a stack overflow), and a duplicate key is reported together with the file's other
// problems, in one go.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { DiagnosticsError, formatDiagnostic } from '../src/diagnostics.js';

describe('a YAML alias inside its own anchor', () => {
  it('is refused at the alias, not answered with "Maximum call stack size exceeded"', () => {
    for (const text of [
      'version: 1\nusers: &a\n  alice@example.com: *a\n',
      'version: 1\ngroups:\n  eng: &m [alice@example.com, *m]\n',
    ]) {
      let thrown: unknown;
      try {
        parseConfig(text, 'tailnet-access.yaml');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DiagnosticsError);
      const [first] = (thrown as DiagnosticsError).diagnostics;
      expect(first).toMatchObject({ line: 3, code: 'yaml.alias' });
      expect(first?.message).toMatch(/^the alias \*[am] stands for the value it is inside, which never ends/);
    }
  });

  it('still allows an alias of a list defined before it', () => {
    const { desired } = parseConfig(
      'version: 1\ngroups:\n  eng: &m [alice@example.com]\n  sre: *m\n',
      'tailnet-access.yaml',
    );
    expect(desired.groups.map((g) => [g.name, g.members.map((m) => m.login)])).toEqual([
      ['group:eng', ['alice@example.com']],
      ['group:sre', ['alice@example.com']],
    ]);
  });
});

describe('a duplicate key', () => {
  it('does not hide the other problems of the file: they are reported with it, in one go', () => {
    const text =
      'version: 1\nusers:\n  alice@example.com: admn\n  alice@example.com: admin\nsetings:\n  maxChanges: 5\n';
    let thrown: unknown;
    try {
      parseConfig(text, 'tailnet-access.yaml');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DiagnosticsError);
    expect((thrown as DiagnosticsError).diagnostics.map(formatDiagnostic)).toEqual([
      'tailnet-access.yaml:4:3: duplicate key "alice@example.com": it is already at line 3',
      'tailnet-access.yaml:5:1: unknown key "setings"; did you mean "settings"?',
    ]);
  });
});
