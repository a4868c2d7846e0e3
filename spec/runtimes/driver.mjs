// Runs one bundled spec file (spec/runtimes/bundle.mjs, target 'server') in the runtime that
// executes this file, Deno or Bun, and prints its result as the last line of stdout (JSON).
// Usage: deno run -A driver.mjs <bundle.js> | bun driver.mjs <bundle.js>
const args = globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2);
const exit = (code) => (globalThis.Deno ? globalThis.Deno.exit(code) : globalThis.process.exit(code));
const bundle = new URL(args[0], `file://${globalThis.Deno ? globalThis.Deno.cwd() : globalThis.process.cwd()}/`).href;

let result;
try {
  await import(bundle);
  result = await globalThis.__runtimeSpecs.run();
} catch (error) {
  result = { suiteError: String((error && error.stack) || error) };
}
console.log(`\n${JSON.stringify(result)}`);
exit(0);
