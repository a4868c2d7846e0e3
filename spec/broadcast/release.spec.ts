import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(__dirname, '../..');

/** lib/index.ts, or the packed tarball's ESM build under test:packed. */
function libraryEntry(): string {
  const packed = process.env.RXJS_CHANNEL_PACKED;
  const file = packed ? join(packed, 'node_modules/rxjs-channel/dist/esm/index.js') : join(root, 'lib/index.ts');
  return pathToFileURL(file).href;
}

interface ReleaseReport {
  afterOneReader: number;
  afterAllReaders: number;
  afterDrop: number;
  pinnedByIdleReceiver: number;
  watchHeld: number;
}

describe('memory: values nobody needs are released', () => {
  let report: ReleaseReport;

  beforeAll(() => {
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(__dirname, 'release-child.mjs'), libraryEntry()],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    const lines = out.trim().split('\n');
    report = JSON.parse(lines[lines.length - 1]!) as ReleaseReport;
  }, 60_000);

  it('broadcast keeps a value while a receiver that existed when it was sent has not read it', () => {
    expect(report.afterOneReader).toBe(8);
  });

  it('broadcast releases a value once every such receiver has read it', () => {
    expect(report.afterAllReaders).toBe(0);
  });

  it('broadcast releases what a dropped receiver had not read', () => {
    expect(report.afterDrop).toBe(0);
  });

  it('a broadcast receiver that never reads pins at most `capacity` values', () => {
    expect(report.pinnedByIdleReceiver).toBe(16);
  });

  it('watch holds the current value only', () => {
    expect(report.watchHeld).toBe(1);
  });
});
