/** The doc-test harness itself: it must find the right blocks and fail when an example is wrong. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as rxjs from 'rxjs';
import * as rxjsChannel from 'rxjs-channel';
import { markdownExamples, tsdocExamples, type Example } from './extract.js';
import { rewriteChecks, runExample, type ModuleTable } from './run-example.js';
import { audit } from './tsdoc-audit.js';

const modules: ModuleTable = { 'rxjs-channel': rxjsChannel, rxjs };
const example = (code: string): Example => ({ file: 'test.md', line: 10, code });

describe('extracting examples', () => {
  it('takes ```ts fences from @example sections only, with the line of the opening fence', () => {
    const source = [
      '/**', //                       1
      ' * Summary.', //               2
      ' * ```ts', //                  3  (not in @example)
      ' * notAnExample();', //        4
      ' * ```', //                    5
      ' *', //                        6
      ' * @example', //               7
      ' * ```ts', //                  8
      ' * import { mpsc } from \'rxjs-channel\';', // 9
      ' * ```', //                    10
      ' * @param x - not example', // 11
      ' * ```ts', //                  12 (after @param: not in @example)
      ' * nope();', //                13
      ' * ```', //                    14
      ' */',
    ].join('\n');
    const found = tsdocExamples('lib/x.ts', source);
    expect(found).toEqual([{ file: 'lib/x.ts', line: 8, code: "import { mpsc } from 'rxjs-channel';" }]);
  });

  it('takes ```ts and ```typescript fences from Markdown, skipping other languages', () => {
    const text = ['# T', '```sh', '```ts', '```', '', '```ts', 'a();', '```', '```typescript', 'b();', '```'].join('\n');
    expect(markdownExamples('d.md', text).map((e) => [e.line, e.code])).toEqual([
      [6, 'a();'],
      [9, 'b();'],
    ]);
  });

  it('records no-run marks with their reason, from the info string or an HTML comment', () => {
    const text = ['```ts no-run: Angular', 'x', '```', '<!-- no-run: needs a browser -->', '', '```ts', 'y', '```', '```ts no-run', 'z', '```'].join('\n');
    expect(markdownExamples('d.md', text).map((e) => e.noRun)).toEqual(['Angular', 'needs a browser', '']);
  });

  it('reports a fence that is never closed', () => {
    expect(markdownExamples('d.md', 'text\n```ts\nx();\n')).toEqual([
      { file: 'd.md', line: 2, code: '', problem: 'this code fence is never closed' },
    ]);
  });
});

describe('running examples', () => {
  it('rewrites `expr; // => value` into a check naming the file line, and drops a trailing comment', () => {
    const rewritten = rewriteChecks(example("x.get('a // b');   // => 'v' // note"));
    expect(rewritten).toBe(`__check("test.md:11", "x.get('a // b')", (x.get('a // b')), ('v'));`);
  });

  it('leaves plain comments alone', () => {
    const code = 'run(); // just a comment\n// a comment line\nrun();';
    expect(rewriteChecks(example(code))).toBe(code);
  });

  it('takes an expectation on its own line as a check of the statement above', () => {
    expect(rewriteChecks(example("describe(x);\n// => 'long'"))).toBe(`__check("test.md:11", "describe(x)", (describe(x)), ('long'));\n`);
  });

  it('refuses a `// =>` line with no expression statement above it', () => {
    expect(() => rewriteChecks(example("// intro\n// => 'orphan'"))).toThrow('test.md:12: `// =>` must follow');
    expect(() => rewriteChecks(example("a(); // => 1\n// => 2"))).toThrow('test.md:12: `// =>` must follow');
  });

  it('passes when every check holds, with top-level await and using', async () => {
    const code = [
      "import { mpsc } from 'rxjs-channel';",
      'const [tx, rx] = mpsc.channel<number>(2);',
      '{ using sender = tx; await sender.send(1); }',
      'await rx.recv(); // => 1',
      'await rx.recv(); // => undefined',
    ].join('\n');
    await expect(runExample(example(code), modules)).resolves.toBeUndefined();
  });

  it('fails on a wrong expected value and names the line', async () => {
    const code = "import { mpsc } from 'rxjs-channel';\nconst [tx] = mpsc.channel<number>(1);\ntx.trySend(1); // => false";
    await expect(runExample(example(code), modules)).rejects.toThrow('test.md:13: `tx.trySend(1)`');
  });

  it('fails when the code throws, even without checks', async () => {
    await expect(runExample(example("throw new TypeError('bad');"), modules)).rejects.toThrow(TypeError);
  });

  it('fails on a syntax error, naming the line', async () => {
    await expect(runExample(example('const = 1;'), modules)).rejects.toThrow(/does not compile:\ntest\.md:11:/);
  });

  it('refuses modules outside the table and names missing exports', async () => {
    await expect(runExample(example("import fs from 'node:fs';\nvoid fs;"), modules)).rejects.toThrow("got 'node:fs'");
    await expect(runExample(example("import { nope } from 'rxjs-channel';\nnope();"), modules)).rejects.toThrow(
      "'rxjs-channel' has no export named 'nope'",
    );
  });

  it('allows 0 ms timers and refuses longer ones', async () => {
    const ok = "const v = await new Promise((r) => setTimeout(() => r('t')));\nv; // => 't'";
    await expect(runExample(example(ok), modules)).resolves.toBeUndefined();
    await expect(runExample(example('setTimeout(() => {}, 50);\nsetTimeout(() => {}, 7);'), modules)).rejects.toThrow('got `50`, `7`');
  });

  it('fails an example whose fence is never closed', async () => {
    const broken: Example = { file: 'd.md', line: 2, code: '', problem: 'this code fence is never closed' };
    await expect(runExample(broken, modules)).rejects.toThrow('d.md:2: this code fence is never closed');
  });
});

describe('auditing TSDoc', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsdoc-audit-'));
    const fence = '```';
    writeFileSync(
      join(dir, 'kind.ts'),
      [
        '/**', ' * A kind.', ' * @example', ` * ${fence}ts`, ' * 1;', ` * ${fence}`, ' * @module', ' */',
        '/** Documented, with an example.', ' * @example', ` * ${fence}ts`, ' * 1;', ` * ${fence}`, ' */',
        'export class Good {', '  /** Says hi. */', '  hi(): void {}', '  /** @internal */', '  hidden(): void {}', '  #secret = 1;', '}',
        '/** No example. */',
        'export function noExample(): void {}',
        '/** Members undocumented.', ' * @example', ` * ${fence}ts`, ' * 1;', ` * ${fence}`, ' */',
        'export class Bare {', '  get size(): number { return 0; }', '}',
        'export interface Options { limit?: number }',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'index.ts'), "export * as kind from './kind.js';\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports each undocumented symbol and member, and exempts internals', () => {
    const problems = Object.fromEntries(audit(join(dir, 'index.ts'), 'fixture').map((f) => [f.name, f.problems]));
    expect(problems).toEqual({
      'fixture (module)': ['no leading TSDoc comment tagged @module'],
      'kind (module)': [],
      'kind.Good': [],
      'kind.Good#hi': [],
      'kind.noExample': ['no @example'],
      'kind.Bare': [],
      'kind.Bare#size': ['no TSDoc summary'],
      'kind.Options': ['no TSDoc summary'],
      'kind.Options#limit': ['no TSDoc summary'],
    });
  });
});
