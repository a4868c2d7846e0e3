/** Every public symbol has TSDoc (STYLE.md "Docs"); the rules are in tsdoc-audit.ts. */
import { join } from 'node:path';
import { audit } from './tsdoc-audit.js';

const findings = audit(join(__dirname, '..', '..', 'lib', 'index.ts'), 'rxjs-channel');

describe('TSDoc on the public surface', () => {
  it('walks the exports, the namespaces of kinds and the members of classes', () => {
    const names = findings.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining(['rxjs-channel (module)', 'mpsc (module)', 'ChannelError', 'mpsc.channel', 'mpsc.Sender', 'mpsc.Sender#send']),
    );
  });

  it.each(findings.map((f) => [f.name, f.problems] as const))('%s is documented', (name, problems) => {
    expect({ name, problems }).toEqual({ name, problems: [] });
  });
});
