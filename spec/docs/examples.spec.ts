/**
 * Runs every documentation example as its own test, named `file:line` after its opening fence:
 * the ```ts blocks in the `@example` sections of TSDoc under lib/ (found at test time, so new
 * kinds are covered as they land), and the ```ts blocks of docs/*.md and README.md.
 * See run-example.ts for how `expr; // => value` lines become assertions.
 */
import * as events from 'node:events';
import * as stream from 'node:stream';
import { join } from 'node:path';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';
import * as rxjsTesting from 'rxjs/testing';
import * as rxjsChannel from 'rxjs-channel';
import * as rxjsChannelTesting from 'rxjs-channel/testing';
import { projectExamples, type Example } from './extract.js';
import { runExample, type ModuleTable } from './run-example.js';

const root = join(__dirname, '..', '..');

/** What an example may import; 'rxjs-channel' is jest's mapping of the package (lib/index.ts). */
const modules: ModuleTable = {
  'rxjs-channel': rxjsChannel,
  'rxjs-channel/testing': rxjsChannelTesting,
  rxjs,
  'rxjs/operators': rxjsOperators,
  'rxjs/testing': rxjsTesting,
  'node:events': events,
  'node:stream': stream,
};

const examples = projectExamples(root);
const byFile = new Map<string, Example[]>();
for (const example of examples) byFile.set(example.file, [...(byFile.get(example.file) ?? []), example]);

describe('documentation examples', () => {
  it('finds the examples of lib/, docs/ and README.md', () => {
    const files = [...byFile.keys()];
    expect(files).toContain('README.md');
    expect(files.some((f) => f.startsWith('lib/'))).toBe(true);
    expect(files.some((f) => f.startsWith('docs/'))).toBe(true);
  });

  for (const [file, list] of byFile) {
    describe(file, () => {
      for (const example of list) {
        const name = `${example.file}:${example.line}`;
        if (example.noRun === undefined) {
          it(name, () => runExample(example, modules), 10_000);
        } else if (example.noRun.trim() === '') {
          it(`${name} is marked no-run without saying why`, () => {
            throw new Error(`${name}: write the reason next to no-run, e.g. \`<!-- no-run: Angular component -->\``);
          });
        } else {
          it.skip(`${name} (no-run: ${example.noRun})`, () => {});
        }
      }
    });
  }
});
