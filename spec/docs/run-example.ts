/**
 * Turns one documentation example into a running test body.
 *
 * 1. Each line `<expr>; // => <expected>` becomes a check that `<expr>` deep-equals
 *    `<expected>` (jest's `toEqual`); `<expr>` may contain `await`. Text after a second `//`
 *    on the expected side is a comment (`tx.trySend(2); // => false // the slot is taken`).
 * 2. The TypeScript is transpiled with `ts.transpileModule` (CommonJS, ES2022), so `import`
 *    becomes `require`, and `using` / `await using` are lowered.
 * 3. The result runs as the body of an async function, so top-level `await` and `for await`
 *    work, with a `require` that serves only the modules an example may import.
 */
import ts from 'typescript';
import type { Example } from './extract.js';

/** What an example's `import` may name: the package and RxJS, plus Node's built-ins. */
export type ModuleTable = Readonly<Record<string, unknown>>;

const CHECK = /^(\s*)(\S.*?)\s*;?\s*\/\/\s*=>\s*(.*?)\s*$/;
const CHECK_BELOW = /^\s*\/\/\s*=>\s*(.*?)\s*$/;
const STATEMENT = /^(\s*)(\S.*?)\s*;\s*$/;

/**
 * The rewritten TypeScript of an example, one check per `// =>`. The expectation sits after
 * the expression on its line, or, when it is long, alone on the next line:
 *
 *     tx.trySend(1); // => true
 *     describe(x);
 *     // => 'a long expected value'
 *
 * A `// =>` line with no expression statement right above it is an error, never ignored.
 */
export function rewriteChecks(example: Pick<Example, 'file' | 'line' | 'code'>): string {
  const lines = example.code.split('\n');
  const out = [...lines];
  const isCheck = new Set<number>();
  lines.forEach((text, index) => {
    const below = CHECK_BELOW.exec(text);
    if (below !== null) {
      const statement = index > 0 && !isCheck.has(index - 1) ? STATEMENT.exec(lines[index - 1]) : null;
      if (statement === null || statement[2].startsWith('//')) {
        throw new SyntaxError(`${where(example, index)}: \`// =>\` must follow an expression statement on the line above`);
      }
      out[index - 1] = checkLine(example, index - 1, statement[1], statement[2], below[1]);
      out[index] = '';
      isCheck.add(index);
      return;
    }
    const match = CHECK.exec(text);
    if (match === null || match[2].startsWith('//')) return;
    out[index] = checkLine(example, index, match[1], match[2], match[3]);
    isCheck.add(index);
  });
  return out.join('\n');
}

function checkLine(example: Pick<Example, 'file' | 'line'>, index: number, indent: string, expr: string, expected: string): string {
  if (expected === '') throw new SyntaxError(`${where(example, index)}: \`// =>\` with nothing after it`);
  const at = JSON.stringify(where(example, index));
  // One line in, one line out, so compiler messages keep the example's line numbers.
  return `${indent}__check(${at}, ${JSON.stringify(expr)}, (${expr}), (${withoutComment(expected)}));`;
}

/** `expected` up to a trailing comment, found with the TypeScript scanner (so `'a // b'` stays). */
function withoutComment(expected: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, expected);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) {
      return expected.slice(0, scanner.getTokenStart()).trimEnd();
    }
  }
  return expected;
}

function where(example: Pick<Example, 'file' | 'line'>, index: number): string {
  return `${example.file}:${example.line + 1 + index}`;
}

/** Transpiles rewritten example TypeScript to a CommonJS function body; throws on syntax errors. */
export function transpile(source: string, example: Pick<Example, 'file' | 'line'>): string {
  const output = ts.transpileModule(source, {
    fileName: 'example.ts',
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: false,
    },
  });
  const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const text = errors
      .map((d) => {
        const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
        return `${where(example, line)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      })
      .join('\n');
    throw new SyntaxError(`the example at ${example.file}:${example.line} does not compile:\n${text}`);
  }
  return output.outputText;
}

/** Asserts `actual` deep-equals `expected`, naming the example line when it does not. */
function check(at: string, exprText: string, actual: unknown, expected: unknown): void {
  try {
    expect(actual).toEqual(expected);
  } catch (error) {
    if (error instanceof Error) error.message = `${at}: \`${exprText}\`\n${error.message}`;
    throw error;
  }
}

/**
 * `setTimeout` for examples: real timers, but 0 ms only, so the suite never waits on a clock.
 * A longer delay is run at 0 ms (so the example does not hang on it) and recorded; the example
 * then fails with the delays it asked for.
 */
function zeroTimeouts(): { setTimeout: typeof setTimeout; refused: unknown[] } {
  const refused: unknown[] = [];
  const zero = (handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    if (ms !== undefined && ms !== 0) refused.push(ms);
    return setTimeout(handler, 0, ...args);
  };
  return { setTimeout: zero as unknown as typeof setTimeout, refused };
}

/**
 * The module, but importing a name it does not export throws at once, naming it, instead of
 * failing later with "cannot read properties of undefined".
 */
function strict(id: string, exports: unknown): unknown {
  if (typeof exports !== 'object' || exports === null) return exports;
  return new Proxy(exports, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !(key in target) && key !== '__esModule' && key !== 'default' && key !== 'then') {
        throw new ReferenceError(`'${id}' has no export named '${key}'`);
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

type AsyncFn = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => AsyncFn;

/** Compiles and runs one example; resolves when its code finished, rejects on a failed check. */
export async function runExample(example: Example, modules: ModuleTable): Promise<void> {
  if (example.problem !== undefined) throw new SyntaxError(`${example.file}:${example.line}: ${example.problem}`);
  const name = `${example.file}:${example.line}`;
  const js = transpile(rewriteChecks(example), example);
  const exampleRequire = (id: string): unknown => {
    if (Object.prototype.hasOwnProperty.call(modules, id)) return strict(id, modules[id]);
    throw new Error(`${name}: examples may import only ${Object.keys(modules).map((m) => `'${m}'`).join(', ')}; got '${id}'`);
  };
  const module = { exports: {} as Record<string, unknown> };
  const body = new AsyncFunction('require', 'module', 'exports', '__check', 'expect', 'setTimeout', `${js}\n//# sourceURL=${name}`);
  const timers = zeroTimeouts();
  let failed = false;
  let failure: unknown;
  try {
    await body(exampleRequire, module, module.exports, check, expect, timers.setTimeout);
  } catch (error) {
    failed = true;
    failure = error;
  }
  if (timers.refused.length > 0) {
    const delays = timers.refused.map((ms) => `\`${String(ms)}\``).join(', ');
    throw new RangeError(`${name}: examples may only use 0 ms timers (the suite runs on real time), got ${delays}`, {
      cause: failure,
    });
  }
  if (failed) throw failure;
}
