/**
 * The TSDoc audit behind tsdoc-coverage.spec.ts. Walks the exports of an entry module with
 * the TypeScript checker, descending into each kind's namespace (`mpsc`, ...):
 * - the entry and each namespace module need a leading `@module` comment with an `@example`;
 * - classes, functions and constants need a summary and at least one `@example`;
 * - interfaces and type aliases need a summary;
 * - each public member of an exported class (method, getter, property) and of an exported
 *   interface needs a summary. Members tagged `@internal`, `#private`/`private`/`protected`
 *   members, constructors and `override`s of an inherited, documented member are exempt.
 */
import ts from 'typescript';

export interface Finding {
  /** Public path, as a user writes it: `mpsc.Sender#send`. */
  readonly name: string;
  readonly problems: string[];
}

function jsDocs(node: ts.Node): ts.JSDoc[] {
  return ts.getJSDocCommentsAndTags(node).filter((n): n is ts.JSDoc => ts.isJSDoc(n));
}

function hasSummary(node: ts.Node): boolean {
  return jsDocs(node).some((doc) => ts.getTextOfJSDocComment(doc.comment)?.trim());
}

function hasTag(node: ts.Node, tag: string): boolean {
  return jsDocs(node).some((doc) => (doc.tags ?? []).some((t) => t.tagName.text === tag));
}

function isExempt(member: ts.ClassElement | ts.TypeElement): boolean {
  if (ts.isConstructorDeclaration(member) || ts.isClassStaticBlockDeclaration(member)) return true;
  if (member.name !== undefined && ts.isPrivateIdentifier(member.name)) return true;
  const flags = ts.canHaveModifiers(member) ? ts.getCombinedModifierFlags(member as ts.Declaration) : 0;
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected | ts.ModifierFlags.Override)) return true;
  return hasTag(member, 'internal');
}

function memberName(member: ts.ClassElement | ts.TypeElement, sourceFile: ts.SourceFile): string {
  if (member.name === undefined) return ts.isIndexSignatureDeclaration(member) ? '[index]' : '(call)';
  return member.name.getText(sourceFile);
}

/**
 * A module's story lives in a TSDoc comment tagged `@module`, among the comments that lead the
 * file (before its first statement), with a summary and an example.
 */
function moduleDocProblems(sourceFile: ts.SourceFile): string[] {
  const text = sourceFile.getFullText();
  const comments = (ts.getLeadingCommentRanges(text, 0) ?? [])
    .map((range) => text.slice(range.pos, range.end))
    .filter((comment) => comment.startsWith('/**'));
  const doc = comments.find((comment) => /^\s*\*\s*@module\b/m.test(comment));
  if (doc === undefined) return ['no leading TSDoc comment tagged @module'];
  const problems: string[] = [];
  const summary = doc.replace(/^\/\*\*/, '').split(/^\s*\*\s*@/m)[0].replace(/^\s*\*\/?/gm, '').trim();
  if (summary === '') problems.push('no module summary');
  if (!/^\s*\*\s*@example\b/m.test(doc)) problems.push('no @example in the module doc');
  return problems;
}

/** Walks the public surface and reports what lacks documentation. */
export function audit(entryPath: string, moduleName: string): Finding[] {
  // Only declarations and their comments matter here, not types: no default libraries, no
  // @types, which keeps building the program fast.
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noLib: true,
    types: [],
    noEmit: true,
  };
  const program = ts.createProgram([entryPath], options);
  const checker = program.getTypeChecker();
  const entry = program.getSourceFile(entryPath);
  if (entry === undefined) throw new Error(`${entryPath} not found`);
  const moduleSymbol = checker.getSymbolAtLocation(entry);
  if (moduleSymbol === undefined) throw new Error(`${entryPath} is not a module`);

  const findings: Finding[] = [];
  const seen = new Set<ts.Declaration>();

  const visitModule = (symbol: ts.Symbol, prefix: string): void => {
    for (const exported of checker.getExportsOfModule(symbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const name = `${prefix}${exported.name}`;
      const declarations = target.declarations ?? [];
      const namespace = declarations.find((d) => ts.isSourceFile(d) || ts.isModuleDeclaration(d));
      if (namespace !== undefined) {
        if (ts.isSourceFile(namespace)) findings.push({ name: `${name} (module)`, problems: moduleDocProblems(namespace) });
        visitModule(target, `${name}.`);
        continue;
      }
      for (const declaration of declarations) {
        if (seen.has(declaration)) continue;
        seen.add(declaration);
        visitDeclaration(declaration, name);
      }
    }
  };

  const visitDeclaration = (declaration: ts.Declaration, name: string): void => {
    const problems: string[] = [];
    const sourceFile = declaration.getSourceFile();
    // A variable's TSDoc sits on its statement; ts.getJSDocCommentsAndTags handles that.
    const needsExample = ts.isClassDeclaration(declaration) || ts.isFunctionDeclaration(declaration) || ts.isVariableDeclaration(declaration);
    if (!hasSummary(declaration)) problems.push('no TSDoc summary');
    if (needsExample && !hasTag(declaration, 'example')) problems.push('no @example');
    findings.push({ name, problems });
    if (ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration)) {
      const members: readonly (ts.ClassElement | ts.TypeElement)[] = declaration.members;
      for (const member of members) {
        if (isExempt(member)) continue;
        const memberPath = `${name}#${memberName(member, sourceFile)}`;
        // Overloads and get/set pairs: one documented declaration is enough.
        const documented = hasSummary(member);
        const existing = findings.find((f) => f.name === memberPath);
        if (existing !== undefined) {
          if (documented) existing.problems.length = 0;
          continue;
        }
        findings.push({ name: memberPath, problems: documented ? [] : ['no TSDoc summary'] });
      }
    }
  };

  findings.push({ name: `${moduleName} (module)`, problems: moduleDocProblems(entry) });
  visitModule(moduleSymbol, '');
  return findings;
}
