// TypeDoc plugin for this reference:
// - links names from RxJS to rxjs.dev instead of leaving them unresolved;
// - names each entry module after the import path users write ('rxjs-channel', 'rxjs-channel/nats');
// - drops the deprecated RxJS internals every Receiver inherits from Observable;
// - makes header links written `@site/...` (typedoc.json navigationLinks) relative to each page,
//   as the reference sits in site-dist/api/ next to the playground.
//
// Receivers extend RxJS's Observable, so the reference shows the inherited members (`pipe`,
// `forEach`, `toPromise` ...) with RxJS's own comments, whose `{@link take}`-style links name
// functions that are not part of this project. With `validation.invalidLink` each of those would
// fail the build. This resolver maps a name to its rxjs.dev page only when RxJS really exports it
// (checked against the installed package), so a genuinely broken link still fails.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Converter, PageEvent, ReflectionKind } from 'typedoc';

const rxjs = createRequire(import.meta.url)('rxjs');
const BASE = 'https://rxjs.dev/api/index';
// Type-only exports have no runtime value to inspect.
const TYPES = {
  Observer: 'interface',
  Subscribable: 'interface',
  Unsubscribable: 'interface',
  SubscriptionLike: 'interface',
  InteropObservable: 'type-alias',
  ObservableInput: 'type-alias',
  OperatorFunction: 'interface',
  MonoTypeOperatorFunction: 'interface',
  UnaryFunction: 'interface',
  TeardownLogic: 'type-alias',
  ObservedValueOf: 'type-alias',
};

function pageOf(name) {
  if (Object.hasOwn(TYPES, name)) return `${BASE}/${TYPES[name]}/${name}`;
  if (!Object.hasOwn(rxjs, name)) return undefined;
  const value = rxjs[name];
  if (typeof value !== 'function') return `${BASE}/const/${name}`;
  return /^[A-Z]/.test(name) ? `${BASE}/class/${name}` : `${BASE}/function/${name}`;
}

const deprecated = (comment) => comment?.getTag('@deprecated') !== undefined;

const PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).name;

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.renderer.on(PageEvent.END, (page) => {
    if (page.contents === undefined) return;
    const up = '../'.repeat(page.url.split('/').length); // from api/<dir>/<page>.html to site-dist/
    page.contents = page.contents.replaceAll('href="@site/', `href="${up}`);
  });
  // lib/index.ts is the package root, lib/<name>/index.ts the subpath export './<name>'.
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    // RxJS's deprecated Observable members (`source`, `operator`, `lift`, `toPromise`) are
    // internals of RxJS 7 that every Receiver inherits; they do not belong in this reference.
    const project = context.project;
    for (const reflection of Object.values(project.reflections)) {
      if (!reflection.kindOf(ReflectionKind.Property | ReflectionKind.Method | ReflectionKind.Accessor)) continue;
      if (!reflection.inheritedFrom?.qualifiedName?.startsWith('Observable.')) continue;
      const signatures = reflection.signatures ?? [];
      if (signatures.length === 0) {
        if (deprecated(reflection.comment)) project.removeReflection(reflection);
        continue;
      }
      // Keep a method such as `subscribe` and drop only its deprecated overloads.
      for (const signature of signatures.filter((sig) => deprecated(sig.comment))) project.removeReflection(signature);
      if ((reflection.signatures ?? []).length === 0) project.removeReflection(reflection);
    }
    for (const child of context.project.children ?? []) {
      if (child.kindOf(ReflectionKind.Module) && !child.name.startsWith(PACKAGE)) {
        child.name = child.name === 'index' ? PACKAGE : `${PACKAGE}/${child.name.replace(/\/index$/, '')}`;
      }
    }
  });

  app.converter.addUnknownSymbolResolver((ref) => {
    if (ref.moduleSource !== undefined && ref.moduleSource !== 'rxjs') return undefined;
    const path = ref.symbolReference?.path;
    if (!path || path.length === 0) return undefined;
    const url = pageOf(path[0].path);
    if (url === undefined) return undefined;
    return path.length > 1 ? `${url}#${path[path.length - 1].path}` : url;
  });
}
