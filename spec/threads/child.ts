/** Runs a fixture as a whole program in a child process (for natural-exit specs). */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entry } from './helpers.js';

/** Runs `fixtures/<script>` with the library entry and `args`; resolves its exit code and output. */
export function runMain(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(__dirname, 'fixtures', script), fileURLToPath(entry()), ...args], { timeout: 50_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
