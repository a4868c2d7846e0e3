/**
 * No internals in what ships. Reads the shipped declarations with the TypeScript checker,
 * starting from each build's entry (dist/esm/index.d.ts, dist/cjs/index.d.ts) and descending
 * into the kinds' namespaces, and checks that:
 * - the public surface is the documented one: every exported class and interface member a
 *   user can name carries TSDoc in the .d.ts (what is undocumented there is machinery that
 *   leaked, since `@internal` members are stripped);
 * - no public signature (a member, a constructor, a function) mentions a type the package does
 *   not export, and no name from the list of known internals appears as an export or member;
 * - at run time, the handles of both builds have no string-keyed property (own or inherited,
 *   short of RxJS's Observable) that their declarations do not list: what `stripInternal`
 *   hides from the types must not still be there to call.
 * Symbol-keyed members (`[Symbol.asyncIterator]`, the select protocol) are not names a user
 * types, and are not checked here.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { consumer } from './consumer.js';

/** Names the core used to expose; none may be reachable by users. */
const KNOWN_INTERNALS = ['Chan', 'chanRef', 'sharedRef', 'hold', 'owner', 'isHeldBy', 'planFor', 'checkBranch', 'recvIter', 'connect', 'Shared', 'Cursor'];

const target = consumer();
afterAll(() => target.dispose());

interface Surface {
  /** Public path of every export: `mpsc.Sender`, `select`, ... */
  exports: string[];
  /** Problems per exported symbol path. */
  problems: Map<string, string[]>;
  /** String-keyed public instance members per exported class path. */
  members: Map<string, string[]>;
  /** `Path#member` for every member name, for the known-internals check. */
  memberNames: string[];
  /** `Path#member: TypeName` for every package type a public signature mentions. */
  typeMentions: string[];
}

function inPackage(file: string): boolean {
  const rel = relative(target.packageDir, ts.sys.realpath!(file));
  return !rel.startsWith('..') && !rel.includes('node_modules');
}

function hasDoc(node: ts.Node): boolean {
  return ts
    .getJSDocCommentsAndTags(node)
    .some((doc) => ts.isJSDoc(doc) && (ts.getTextOfJSDocComment(doc.comment)?.trim() ?? '') !== '');
}

function surfaceOf(build: 'esm' | 'cjs'): Surface {
  const entry = join(target.packageDir, `dist/${build}/index.d.ts`);
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const surface: Surface = { exports: [], problems: new Map(), members: new Map(), memberNames: [], typeMentions: [] };
  const exported = new Set<ts.Symbol>();
  const todo: [string, ts.Symbol][] = [];

  const resolveAlias = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const visitModule = (moduleSymbol: ts.Symbol, prefix: string) => {
    for (const e of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = resolveAlias(e);
      const path = `${prefix}${e.name}`;
      if ((symbol.declarations ?? []).some((d) => ts.isSourceFile(d) || ts.isModuleDeclaration(d))) {
        visitModule(symbol, `${path}.`);
        continue;
      }
      surface.exports.push(path);
      exported.add(symbol);
      todo.push([path, symbol]);
    }
  };
  visitModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!, '');

  /** Package types that `node` mentions and the package does not export. */
  const unexportedTypes = (node: ts.Node): string[] => {
    const found: string[] = [];
    const walk = (n: ts.Node) => {
      const name = ts.isTypeReferenceNode(n) ? n.typeName : ts.isExpressionWithTypeArguments(n) ? n.expression : undefined;
      if (name !== undefined) {
        const referenced = checker.getSymbolAtLocation(ts.isQualifiedName(name) ? name.right : name);
        const symbol = referenced && resolveAlias(referenced);
        const declaration = symbol?.declarations?.[0];
        if (symbol && declaration && !(symbol.flags & ts.SymbolFlags.TypeParameter) && inPackage(declaration.getSourceFile().fileName) && !exported.has(symbol)) {
          found.push(symbol.name);
        }
      }
      ts.forEachChild(n, walk);
    };
    walk(node);
    return found;
  };

  for (const [path, symbol] of todo) {
    const problems: string[] = [];
    for (const declaration of symbol.declarations ?? []) {
      if (!inPackage(declaration.getSourceFile().fileName)) continue;
      if (ts.isFunctionDeclaration(declaration) || ts.isVariableDeclaration(declaration)) {
        for (const t of unexportedTypes(declaration)) {
          problems.push(`its signature mentions the unexported type ${t}`);
          surface.typeMentions.push(`${path}: ${t}`);
        }
      }
      if (!ts.isClassDeclaration(declaration) && !ts.isInterfaceDeclaration(declaration)) continue;
      for (const member of declaration.members as readonly (ts.ClassElement | ts.TypeElement)[]) {
        const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
        if (modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
        if (member.name !== undefined && (ts.isPrivateIdentifier(member.name) || ts.isComputedPropertyName(member.name))) continue;
        if (ts.isConstructorDeclaration(member)) {
          if (member.parameters.length > 0) {
            const types = unexportedTypes(member);
            if (types.length > 0) problems.push(`a public constructor takes internal state (${types.join(', ')}): users can forge handles`);
            for (const t of types) surface.typeMentions.push(`${path}#constructor: ${t}`);
          }
          continue;
        }
        if (member.name === undefined) continue;
        const name = member.name.getText();
        surface.memberNames.push(`${path}#${name}`);
        if (!hasDoc(member)) problems.push(`#${name} has no TSDoc in the shipped declarations`);
        for (const t of unexportedTypes(member)) {
          problems.push(`#${name} mentions the unexported type ${t}`);
          surface.typeMentions.push(`${path}#${name}: ${t}`);
        }
      }
    }
    surface.problems.set(path, [...new Set(problems)]);
    const declaration = symbol.declarations?.find(ts.isClassDeclaration);
    if (declaration) {
      const instance = checker.getDeclaredTypeOfSymbol(symbol);
      surface.members.set(
        path,
        checker
          .getPropertiesOfType(instance)
          .filter((p) => !p.name.startsWith('__@') && !p.name.startsWith('#'))
          .filter((p) => (p.declarations ?? []).some((d) => inPackage(d.getSourceFile().fileName)))
          .map((p) => p.name)
          .sort(),
      );
    }
  }
  return surface;
}

const surfaces = { esm: surfaceOf('esm'), cjs: surfaceOf('cjs') };

const fixture = join(target.dir, 'runtime-keys.mjs');
copyFileSync(join(__dirname, 'internals/runtime-keys.mjs'), fixture);
const runtime = JSON.parse(execFileSync(process.execPath, [fixture], { cwd: target.dir, encoding: 'utf8' })) as Record<
  'esm' | 'cjs',
  Record<string, string[]>
>;
/** Which declared class describes each runtime handle. */
const declaredAs: Record<string, string> = {
  'mpmc.Sender': 'mpsc.Sender',
  'toChannel()': 'mpsc.Receiver',
};

describe(`no internals in the shipped package (${target.packed ? 'installed tarball' : 'dist/'})`, () => {
  it('walks both entries, the namespaces of kinds and the members of classes', () => {
    for (const surface of Object.values(surfaces)) {
      expect(surface.exports).toEqual(expect.arrayContaining(['select', 'toChannel', 'mpsc.channel', 'mpsc.Sender', 'broadcast.Receiver']));
      expect(surface.members.get('mpsc.Sender')).toEqual(expect.arrayContaining(['send', 'trySend', 'clone']));
    }
    expect(surfaces.cjs.exports).toEqual(surfaces.esm.exports);
  });

  it.each(KNOWN_INTERNALS)('`%s` is neither exported, nor a member, nor a type in a public signature', (name) => {
    const word = new RegExp(`(^|[.#: ])${name}$`);
    const places = Object.entries(surfaces).flatMap(([build, s]) =>
      [...s.exports, ...s.memberNames, ...s.typeMentions].filter((p) => word.test(p)).map((p) => `${build}: ${p}`),
    );
    const atRuntime = Object.entries(runtime).flatMap(([build, handles]) =>
      Object.entries(handles)
        .filter(([, keys]) => keys.includes(name))
        .map(([handle]) => `${build} runtime: ${handle}.${name}`),
    );
    expect([...places, ...atRuntime]).toEqual([]);
  });

  it.each(surfaces.esm.exports.map((path) => [path]))('%s exposes only documented, exported API', (path) => {
    expect({ esm: surfaces.esm.problems.get(path), cjs: surfaces.cjs.problems.get(path) }).toEqual({ esm: [], cjs: [] });
  });

  it.each(
    (['cjs', 'esm'] as const).flatMap((build) => Object.keys(runtime[build]).map((handle) => [build, handle] as const)),
  )('%s build: a %s has no property at run time beyond its declarations', (build, handle) => {
    const declared = surfaces[build].members.get(declaredAs[handle] ?? handle);
    expect(declared).toBeDefined();
    expect(runtime[build][handle].filter((key) => !declared!.includes(key))).toEqual([]);
  });
});
