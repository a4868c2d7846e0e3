/**
 * The type contract, checked against the shipped declarations rather than lib/: every file in
 * spec/types/shipped/ is copied into a consumer project (see consumer.ts) twice, as an .mts
 * (resolved through the `import` condition to dist/esm/*.d.ts) and as a .cts (the `require`
 * condition, dist/cjs/*.d.ts), and compiled there with `moduleResolution: nodenext` and
 * `skipLibCheck: false`. expect-type assertions fail compilation on a mismatch, and each
 * `// @ts-expect-error` fails it when its line stops being an error.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import ts from 'typescript';
import { consumer, root } from './consumer.js';

const sourceDir = join(root, 'spec/types/shipped');
const sources = readdirSync(sourceDir).filter((name) => name.endsWith('.ts'));
const CANARY = '__canary__';

const target = consumer();
afterAll(() => target.dispose());

const testDir = join(target.dir, 'shipped-types');
mkdirSync(testDir, { recursive: true });
const files: string[] = [];
for (const name of sources) {
  for (const ext of ['.mts', '.cts']) {
    const file = join(testDir, basename(name, '.ts') + ext);
    copyFileSync(join(sourceDir, name), file);
    files.push(file);
  }
}
// The harness must see a failing assertion and an unused @ts-expect-error as failures.
for (const ext of ['.mts', '.cts']) {
  const file = join(testDir, CANARY + ext);
  writeFileSync(
    file,
    [
      "import { expectTypeOf } from 'expect-type';",
      "import { mpsc } from 'rxjs-channel';",
      'expectTypeOf(mpsc.channel<number>(1)[1].tryRecv()).toEqualTypeOf<string>();',
      '// @ts-expect-error not an error at all',
      'mpsc.channel<number>(1);',
      '',
    ].join('\n'),
  );
  files.push(file);
}

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: false,
  types: [],
};
// The same settings as a tsconfig, so `npx tsc -p <consumer>/shipped-types` reproduces a failure.
writeFileSync(
  join(testDir, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: { target: 'es2022', lib: ['es2022', 'dom', 'esnext.disposable'], module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, types: [] },
    files: files.map((f) => basename(f)).filter((f) => !f.startsWith(CANARY)),
  }),
);
const program = ts.createProgram(files, options);
const byFile = new Map<string, string[]>();
for (const d of ts.getPreEmitDiagnostics(program)) {
  const file = d.file?.fileName ?? '(global)';
  const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
  const message = `${where ? `${where.line + 1}:${where.character + 1} ` : ''}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  byFile.set(file, [...(byFile.get(file) ?? []), message]);
}
const diagnosticsOf = (file: string): string[] => byFile.get(file) ?? [];

describe(`shipped type tests (${target.packed ? 'installed tarball' : 'dist/ linked'})`, () => {
  it('resolves rxjs-channel to the shipped declarations, esm for .mts and cjs for .cts', () => {
    const real = (p: string) => relative(target.packageDir, ts.sys.realpath!(p)).split('\\').join('/');
    const resolved = (from: string) => {
      const mode = ts.getImpliedNodeFormatForFile(from as ts.Path, undefined, ts.sys, options);
      return real(ts.resolveModuleName('rxjs-channel', from, options, ts.sys, undefined, undefined, mode).resolvedModule?.resolvedFileName ?? '');
    };
    expect(resolved(join(testDir, 'constructors.mts'))).toBe('dist/esm/index.d.ts');
    expect(resolved(join(testDir, 'constructors.cts'))).toBe('dist/cjs/index.d.ts');
    const loaded = program.getSourceFiles().map((f) => real(f.fileName));
    expect(loaded).toEqual(expect.arrayContaining(['dist/esm/index.d.ts', 'dist/cjs/index.d.ts']));
    expect(loaded.filter((f) => f.startsWith('lib/'))).toEqual([]);
  });

  it('finds the failures the harness must report (canary)', () => {
    for (const ext of ['.mts', '.cts']) {
      const messages = diagnosticsOf(join(testDir, CANARY + ext));
      expect(messages.some((m) => m.includes('TS2578'))).toBe(true); // unused @ts-expect-error
      expect(messages.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('the shipped .d.ts compile with skipLibCheck off', () => {
    const ours = [...byFile].filter(([file]) => !file.startsWith(testDir));
    expect(ours.map(([file, messages]) => `${file}: ${messages.join('; ')}`)).toEqual([]);
  });

  const tests = files.filter((f) => !basename(f).startsWith(CANARY));
  /** Each `// @ts-expect-error why` in a file: its 1-based line and its reason. */
  const directives = (file: string) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((text, i) => {
        const m = /\/\/ @ts-expect-error\s*(.*)$/.exec(text);
        return m ? [{ line: i + 1, why: m[1] }] : [];
      });
  const unused = (file: string, line: number) => diagnosticsOf(file).some((m) => m.startsWith(`${line}:`) && m.includes('TS2578'));

  it.each(tests.map((f) => [basename(f), f]))('%s compiles: every expectTypeOf holds, every @ts-expect-error is an error', (_name, file) => {
    expect(diagnosticsOf(file)).toEqual([]);
  });

  // One test per negative case, so a report names exactly which rejections do not hold yet.
  it.each(tests.flatMap((f) => directives(f).map(({ line, why }) => [`${basename(f)}:${line}`, why, f, line] as const)))(
    '%s rejects: %s',
    (_where, _why, file, line) => {
      expect(unused(file, line)).toBe(false);
    },
  );
});
