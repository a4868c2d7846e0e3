/** Every public symbol of rxjs-channel/testing has TSDoc with an example (the rules are in spec/docs/tsdoc-audit.ts). */
import { join } from 'node:path';
import { audit } from '../docs/tsdoc-audit.js';

const findings = audit(join(__dirname, '..', '..', 'lib', 'testing', 'index.ts'), 'rxjs-channel/testing');

describe('TSDoc on rxjs-channel/testing', () => {
  it('walks its exports and their members', () => {
    expect(findings.map((f) => f.name)).toEqual(
      expect.arrayContaining(['rxjs-channel/testing (module)', 'inspect', 'expectIdle', 'flush', 'isPending', 'collect', 'explore', 'ExploreError#seed']),
    );
  });

  it.each(findings.map((f) => [f.name, f.problems] as const))('%s is documented', (name, problems) => {
    expect({ name, problems }).toEqual({ name, problems: [] });
  });
});
