/** Every public symbol of rxjs-channel/nats has TSDoc, by the same audit as the root entry. */
import { join } from 'node:path';
import { audit } from '../docs/tsdoc-audit.js';

const findings = audit(join(__dirname, '..', '..', 'lib', 'nats', 'index.ts'), 'rxjs-channel/nats');

it('walks the exports of rxjs-channel/nats', () => {
  expect(findings.map((f) => f.name)).toEqual(expect.arrayContaining(['jetstream', 'NatsSender', 'NatsSender#send', 'NatsReceiver#recv']));
});

it.each(findings.map((f) => [f.name, f.problems] as const))('%s is documented', (name, problems) => {
  expect({ name, problems }).toEqual({ name, problems: [] });
});
