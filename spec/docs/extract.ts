/**
 * Finds the runnable examples of the project: ```ts fences inside the `@example` sections of
 * TSDoc comments under lib/, and ```ts fences in the Markdown guides and README.
 *
 * A fence is skipped when its info string says `no-run` (```ts no-run: why) or, in Markdown,
 * when the line before it is `<!-- no-run: why -->`. The reason is kept so the suite can show
 * it and insist that one is given.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** One fenced example, located by the 1-based line of its opening fence. */
export interface Example {
  /** Path relative to the project root, with `/` separators. */
  readonly file: string;
  /** 1-based line of the opening fence in `file`. */
  readonly line: number;
  /** The code between the fences, comment decoration removed. */
  readonly code: string;
  /** Present when the example is marked not to run: the reason given (may be empty). */
  readonly noRun?: string;
  /** Present when the fence itself is malformed (never closed): the example then fails. */
  readonly problem?: string;
}

const FENCE_OPEN = /^(\s*)```\s*(ts|typescript)\b(.*)$/;
const FENCE_CLOSE = /^\s*```\s*$/;
const NO_RUN_INFO = /^\s*no-run\b:?\s*(.*)$/;
const NO_RUN_COMMENT = /^\s*<!--\s*no-run\b:?\s*(.*?)\s*-->\s*$/;

/** Every file under `dir` (recursively) whose name ends with one of `extensions`. */
export function filesUnder(root: string, dir: string, extensions: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (path: string): void => {
    let entries;
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      return; // a folder that does not exist (yet) holds no examples
    }
    for (const entry of entries) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (extensions.some((ext) => entry.name.endsWith(ext))) found.push(child);
    }
  };
  walk(join(root, dir));
  return found.map((path) => relative(root, path).split(sep).join('/')).sort();
}

/**
 * Fenced ```ts blocks of Markdown-like `lines`. `lines[i]` is source line `firstLine + i`.
 * `canStart(i)` says whether a fence opening on line `i` counts (TSDoc: only in `@example`).
 */
function fences(
  file: string,
  lines: readonly string[],
  lineNumbers: readonly number[],
  canStart: (index: number) => boolean,
): Example[] {
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i]);
    if (open === null) {
      // Skip over fences in other languages so their content is never mistaken for ours.
      if (/^\s*```\S*/.test(lines[i])) i = closeOf(lines, i);
      continue;
    }
    const end = closeOf(lines, i);
    if (end === lines.length && canStart(i)) {
      examples.push({ file, line: lineNumbers[i], code: '', problem: 'this code fence is never closed' });
      break;
    }
    if (!canStart(i)) {
      i = end;
      continue;
    }
    const indent = open[1].length;
    const body = lines.slice(i + 1, end).map((text) => stripIndent(text, indent));
    const infoNoRun = NO_RUN_INFO.exec(open[3]);
    const before = previousNonBlank(lines, i);
    const commentNoRun = before === undefined ? null : NO_RUN_COMMENT.exec(before);
    const noRun = infoNoRun?.[1] ?? commentNoRun?.[1];
    examples.push({ file, line: lineNumbers[i], code: body.join('\n'), ...(noRun === undefined ? {} : { noRun }) });
    i = end;
  }
  return examples;
}

function closeOf(lines: readonly string[], open: number): number {
  for (let j = open + 1; j < lines.length; j++) if (FENCE_CLOSE.test(lines[j])) return j;
  return lines.length;
}

function stripIndent(text: string, indent: number): string {
  let k = 0;
  while (k < indent && (text[k] === ' ' || text[k] === '\t')) k++;
  return text.slice(k);
}

function previousNonBlank(lines: readonly string[], index: number): string | undefined {
  for (let j = index - 1; j >= 0; j--) if (lines[j].trim() !== '') return lines[j];
  return undefined;
}

/** The ```ts blocks of a Markdown document. */
export function markdownExamples(file: string, text: string): Example[] {
  const lines = text.split(/\r?\n/);
  return fences(file, lines, lines.map((_, i) => i + 1), () => true);
}

/**
 * The ```ts blocks inside `@example` sections of the TSDoc comments of a TypeScript source. An
 * `@example` section runs until the next block tag (`@param`, `@returns`, `@module`, ...) that
 * starts a line outside a fence, or the end of the comment.
 */
export function tsdocExamples(file: string, text: string): Example[] {
  const examples: Example[] = [];
  const comment = /\/\*\*[\s\S]*?\*\//g;
  for (let match = comment.exec(text); match !== null; match = comment.exec(text)) {
    const firstLine = text.slice(0, match.index).split('\n').length;
    const raw = match[0].split(/\r?\n/);
    const lines = raw.map((line, i) => {
      let content = line;
      if (i === 0) content = content.replace(/^\s*\/\*\*\s?/, '');
      if (i === raw.length - 1) content = content.replace(/\s*\*\/\s*$/, '');
      return content.replace(/^\s*\*(?: |$)/, '');
    });
    const inExample = exampleSections(lines);
    examples.push(...fences(file, lines, lines.map((_, i) => firstLine + i), (i) => inExample[i]));
  }
  return examples;
}

/** For each comment line, whether it lies in an `@example` section. */
function exampleSections(lines: readonly string[]): boolean[] {
  const result: boolean[] = [];
  let inExample = false;
  let inFence = false;
  for (const line of lines) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    else if (!inFence) {
      const tag = /^\s*@(\w+)/.exec(line);
      if (tag !== null) inExample = tag[1] === 'example';
    }
    result.push(inExample);
  }
  return result;
}

/** Every example of the project: TSDoc under lib/, then docs/ and README.md. */
export function projectExamples(root: string): Example[] {
  const read = (file: string): string => readFileSync(join(root, file), 'utf8');
  const fromLib = filesUnder(root, 'lib', ['.ts']).flatMap((file) => tsdocExamples(file, read(file)));
  const fromDocs = [...filesUnder(root, 'docs', ['.md']), 'README.md'].flatMap((file) =>
    markdownExamples(file, read(file)),
  );
  return [...fromLib, ...fromDocs];
}
