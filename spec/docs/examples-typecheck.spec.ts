/**
 * The documentation examples also type-check: an example that runs but would not compile in
 * a user's project (a wrong signature, a missing type argument) is rotten too. All examples go
 * into one TypeScript program, each as its own module, compiled with the project's tsconfig
 * (where 'rxjs-channel' maps to lib/index.ts).
 */
import { join } from 'node:path';
import ts from 'typescript';
import { projectExamples, type Example } from './extract.js';

const root = join(__dirname, '..', '..');
const virtualDir = join(root, 'spec', 'docs', '__examples__');

function virtualName(example: Example, index: number): string {
  return join(virtualDir, `${index}-${example.file.replace(/[^\w.-]+/g, '_')}-${example.line}.ts`);
}

function typeCheck(examples: readonly Example[]): Map<Example, string[]> {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (parsed === undefined) throw new Error('cannot read tsconfig.json');
  const files = new Map<string, Example>();
  // `export {}` makes each example a module, so their top-level names never collide.
  const texts = new Map<string, string>();
  examples.forEach((example, index) => {
    const name = virtualName(example, index);
    files.set(name, example);
    texts.set(name, `${example.code}\nexport {};\n`);
  });
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, incremental: false };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => texts.has(name) || fileExists.call(host, name);
  host.readFile = (name) => texts.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const text = texts.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, languageVersion, true);
    return getSourceFile.call(host, name, languageVersion, onError, shouldCreate);
  };
  // The virtual folder sits inside the project, so 'rxjs-channel', 'rxjs' and the package's
  // "type": "module" resolve as they do for a spec.
  const program = ts.createProgram([...texts.keys()], options, host);
  const result = new Map<Example, string[]>();
  for (const [name, example] of files) {
    const sourceFile = program.getSourceFile(name)!;
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    result.set(
      example,
      diagnostics.map((d) => {
        const line = d.start === undefined ? 0 : sourceFile.getLineAndCharacterOfPosition(d.start).line;
        return `${example.file}:${example.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      }),
    );
  }
  return result;
}

const examples = projectExamples(root).filter((e) => e.noRun === undefined && e.problem === undefined);
const results = typeCheck(examples);

describe('documentation examples type-check', () => {
  it.each(examples.map((e) => [`${e.file}:${e.line}`, e] as const))('%s', (_name, example) => {
    expect(results.get(example)).toEqual([]);
  });
});
