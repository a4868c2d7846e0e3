/**
 * Runs the examples of lib/nats/ (TSDoc) and docs/08-across-machines.md against a real server. They are
 * marked no-run for the main documentation suite, which has no server; here each gets a
 * connection `nc` and a fresh channel `name` in scope, and the same `// =>` checks.
 */
import { join } from 'node:path';
import * as rxjs from 'rxjs';
import * as transport from '@nats-io/transport-node';
import * as lib from '../../lib/index.js';
import * as natsEntry from '../../lib/nats/index.js';
import { projectExamples } from '../docs/extract.js';
import { runExample } from '../docs/run-example.js';
import { uniqueName, useServer } from './helpers.js';

const nats = useServer();
const root = join(__dirname, '..', '..');
const examples = projectExamples(root).filter((e) => e.file.startsWith('lib/nats/') || e.file === 'docs/08-across-machines.md');
const modules = { 'rxjs-channel': lib, 'rxjs-channel/nats': natsEntry, rxjs, '@nats-io/transport-node': transport };
const hooks = globalThis as unknown as { __rxcNats: { connect(): Promise<unknown>; name(): string } };

beforeAll(() => {
  hooks.__rxcNats = { connect: () => nats.connect(), name: () => uniqueName('doc') };
  process.env.NATS_URL = nats.server.url;
});

it('finds the examples of lib/nats and the guide', () => {
  expect(examples.filter((e) => e.file.startsWith('lib/nats/')).length).toBeGreaterThanOrEqual(6);
});

it.each(examples.filter((e) => !(e.noRun ?? '').includes('never run')).map((e) => [`${e.file}:${e.line}`, e] as const))(
  '%s',
  async (_, example) => {
    const prelude = /\bconst nc\b/.test(example.code)
      ? ''
      : 'const nc = await (globalThis as any).__rxcNats.connect();\nconst name: string = (globalThis as any).__rxcNats.name();\n';
    await runExample({ ...example, code: `${prelude}${example.code}` }, modules);
  },
  30_000,
);
