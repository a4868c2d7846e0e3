// The Angular snippets of the RxJS guide (docs/05-rxjs-interop.md, "In Angular") are marked
// no-run for the doc-test harness, which has no Angular compiler. Here they are compiled with
// this project's Angular 22 (ngc on Node 22: full template type checking), so they cannot rot.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const here = join(__dirname, '..');
const root = join(here, '../..');
const guide = readFileSync(join(root, 'docs/05-rxjs-interop.md'), 'utf8');
const section = guide.slice(guide.indexOf('\n## In Angular\n'), guide.indexOf('\n## ', guide.indexOf('\n## In Angular\n') + 1));

/** Each ```ts fence of the section, with the line before it. */
const fences = [...section.matchAll(/^(.*)\n```ts\n([\s\S]*?)^```$/gm)].map(([, before, code]) => ({ before, code }));

describe('the Angular part of the RxJS guide', () => {
  it('shows toSignal and rxResource, each snippet marked no-run with a reason', () => {
    expect(fences.map(({ code }) => ['toSignal(', 'rxResource(', 'DestroyRef', 'abortSignal'].filter((word) => code.includes(word))))
      .toEqual([['toSignal(', 'DestroyRef'], ['rxResource(', 'abortSignal']]);
    for (const { before } of fences) expect(before).toMatch(/^<!-- no-run: \S.* -->$/);
  });

  it('compiles with Angular 22 (ngc, strict templates), while a canary with a template error does not', () => {
    // Inside this project, so that @angular/* and rxjs-channel resolve to its node_modules.
    const dir = mkdtempSync(join(here, '.doc-snippets-'));
    try {
      const files = fences.map(({ code }, i) => {
        writeFileSync(join(dir, `snippet-${i}.ts`), code);
        return `snippet-${i}.ts`;
      });
      writeFileSync(join(dir, 'canary.ts'), "import { Component } from '@angular/core';\n@Component({ selector: 'app-canary', template: '{{ missing() }}' })\nexport class CanaryComponent {}\n");
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: true }, files: [...files, 'canary.ts'] }));
      const ngc = spawnSync(join(root, 'node_modules/node22/bin/node'), [join(here, 'node_modules/@angular/compiler-cli/bundles/src/bin/ngc.js'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
      // (ngc colours its diagnostics whatever the terminal.)
      const output = `${ngc.stdout}${ngc.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
      const errors = output.split('\n').filter((line) => /error TS-?\d+/.test(line));
      expect(errors).toEqual([expect.stringMatching(/^canary\.ts:2:\d+ - error TS2339: Property 'missing' does not exist on type 'CanaryComponent'\.$/)]);
      expect(ngc.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
