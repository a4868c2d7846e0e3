// A small jest-compatible runtime for running the contract specs outside Node's jest: in
// headless Chromium, Deno and Bun. esbuild injects it into every spec bundle (see
// spec/runtimes/bundle.mjs), so `describe`, `it`, `expect`, `jest` and friends in the spec
// files resolve to the exports below. It uses jest's own parts where they run anywhere:
// `expect` (jest's matchers), `jest-mock` (jest.fn / spyOn) and @sinonjs/fake-timers
// configured the way @jest/fake-timers configures it. What it leaves out on purpose:
// snapshots, module mocking, concurrent tests.
//
// After the bundle has been imported, `globalThis.__runtimeSpecs.run()` runs what it
// registered and resolves to one jest-style test file result.
import { expect } from 'expect';
import { ModuleMocker } from 'jest-mock';
import { withGlobal } from '@sinonjs/fake-timers';

// Captured before any test can install fake timers, so the per-test timeout stays real.
const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
const realNow = () => globalThis.performance.now();

import { nativeProcess } from './process-shim.mjs';

// --- registry ---------------------------------------------------------------------------
const newBlock = (name, parent, mode) => ({ name, parent, mode, children: [], beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] });
const rootBlock = newBlock('', undefined, 'run');
let current = rootBlock;
let hasOnly = false;

function addBlock(name, fn, mode) {
  const block = newBlock(String(name), current, mode);
  if (mode === 'only') hasOnly = true;
  current.children.push({ kind: 'block', block });
  const parent = current;
  current = block;
  try {
    const result = fn();
    if (result && typeof result.then === 'function') throw new Error('describe() callbacks must not return a promise');
  } finally {
    current = parent;
  }
}

function addTest(name, fn, timeout, mode) {
  if (mode === 'only') hasOnly = true;
  current.children.push({ kind: 'test', name: String(name), fn, timeout, mode, block: current });
}

// jest-each's title formatting: printf-style placeholders, %p with pretty-format, %# index.
function formatTitle(title, args, index) {
  let i = 0;
  const pretty = (v) => {
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v == null) return Object.is(v, -0) ? '-0' : String(v);
    if (typeof v === 'symbol' || typeof v === 'function') return String(v);
    try { return JSON.stringify(v); } catch { return String(v); }
  };
  let out = String(title).replace(/%([sdifjopO#%])/g, (match, spec) => {
    if (spec === '%') return '%';
    if (spec === '#') return String(index);
    if (i >= args.length) return match;
    const v = args[i++];
    switch (spec) {
      case 's': return typeof v === 'object' && v !== null ? pretty(v) : String(v);
      case 'd': case 'i': return String(typeof v === 'bigint' ? v : Math.trunc(Number(v)));
      case 'f': return String(Number(v));
      case 'j': return JSON.stringify(v);
      default: return pretty(v);
    }
  });
  out = out.replace(/\$(\w+)/g, (m, key) => (args.length === 1 && args[0] && typeof args[0] === 'object' && key in args[0] ? pretty(args[0][key]) : m));
  return out;
}

function withEach(register) {
  return (table) => (title, fn, timeout) => {
    table.forEach((row, index) => {
      const args = Array.isArray(row) ? row : [row];
      register(formatTitle(title, args, index), (...rest) => fn(...args, ...rest), timeout);
    });
  };
}

function makeTest(mode) {
  const t = (name, fn, timeout) => addTest(name, fn, timeout, mode);
  return t;
}
const it_ = makeTest('run');
it_.only = makeTest('only');
it_.skip = makeTest('skip');
it_.todo = (name) => addTest(name, undefined, undefined, 'todo');
it_.each = withEach(it_);
it_.only.each = withEach(it_.only);
it_.skip.each = withEach(it_.skip);
it_.failing = () => { throw new Error('it.failing is not supported by the runtime shim'); };
it_.concurrent = () => { throw new Error('it.concurrent is not supported by the runtime shim'); };
export { it_ as it, it_ as test };

const describe_ = (name, fn) => addBlock(name, fn, 'run');
describe_.only = (name, fn) => addBlock(name, fn, 'only');
describe_.skip = (name, fn) => addBlock(name, fn, 'skip');
describe_.each = withEach(describe_);
describe_.only.each = withEach(describe_.only);
describe_.skip.each = withEach(describe_.skip);
export { describe_ as describe };

export const beforeAll = (fn, timeout) => void current.beforeAll.push({ fn, timeout });
export const afterAll = (fn, timeout) => void current.afterAll.push({ fn, timeout });
export const beforeEach = (fn, timeout) => void current.beforeEach.push({ fn, timeout });
export const afterEach = (fn, timeout) => void current.afterEach.push({ fn, timeout });

// --- jest object ------------------------------------------------------------------------
const mocker = new ModuleMocker(globalThis);
let clock;
let defaultTimeout = 5000;
const checkFake = () => {
  if (!clock) console.warn('A function to advance timers was called but the timers APIs are not replaced with fake timers.');
  return Boolean(clock);
};
export const jest = {
  fn: (impl) => mocker.fn(impl),
  spyOn: (...args) => mocker.spyOn(...args),
  replaceProperty: (...args) => mocker.replaceProperty(...args),
  isMockFunction: (f) => mocker.isMockFunction(f),
  clearAllMocks() { mocker.clearAllMocks(); return jest; },
  resetAllMocks() { mocker.resetAllMocks(); return jest; },
  restoreAllMocks() { mocker.restoreAllMocks(); return jest; },
  useFakeTimers(config = {}) {
    if (clock) clock.uninstall();
    const fakeTimers = withGlobal(globalThis);
    const toFake = new Set(Object.keys(fakeTimers.timers));
    for (const name of config.doNotFake ?? []) toFake.delete(name);
    clock = fakeTimers.install({
      advanceTimeDelta: typeof config.advanceTimers === 'number' ? config.advanceTimers : undefined,
      loopLimit: config.timerLimit || 100_000,
      now: config.now ?? Date.now(),
      shouldAdvanceTime: Boolean(config.advanceTimers),
      shouldClearNativeTimers: true,
      toFake: [...toFake],
    });
    return jest;
  },
  useRealTimers() {
    if (clock) clock.uninstall();
    clock = undefined;
    return jest;
  },
  isFakeTimers: () => Boolean(clock),
  advanceTimersByTime(ms) { if (checkFake()) clock.tick(ms); },
  async advanceTimersByTimeAsync(ms) { if (checkFake()) await clock.tickAsync(ms); },
  runAllTimers() { if (checkFake()) clock.runAll(); },
  async runAllTimersAsync() { if (checkFake()) await clock.runAllAsync(); },
  runOnlyPendingTimers() { if (checkFake()) clock.runToLast(); },
  async runOnlyPendingTimersAsync() { if (checkFake()) await clock.runToLastAsync(); },
  runAllTicks() { if (checkFake()) clock.runMicrotasks(); },
  advanceTimersToNextTimer(steps = 1) {
    if (!checkFake()) return;
    for (let i = steps; i > 0; i--) {
      clock.next();
      clock.tick(0);
      if (clock.countTimers() === 0) break;
    }
  },
  clearAllTimers() { if (clock) clock.reset(); },
  getTimerCount: () => (checkFake() ? clock.countTimers() : 0),
  setSystemTime(now) { if (checkFake()) clock.setSystemTime(now); },
  now: () => (clock ? clock.now : Date.now()),
  getRealSystemTime: () => Date.now(),
  setTimeout(ms) { defaultTimeout = ms; return jest; },
};
export { expect };

// --- running ----------------------------------------------------------------------------
// As jest-circus does: an uncaught exception fails the running test; a rejection fails it only
// if it is still unhandled when the test ends (a handler attached later takes it back).
let uncaught = [];
let unhandled = new Map();
function listenUncaught() {
  if (nativeProcess && typeof globalThis.Deno === 'undefined') {
    const onException = (error) => uncaught.push(error);
    const onRejection = (reason, promise) => unhandled.set(promise, reason);
    const onHandled = (promise) => unhandled.delete(promise);
    nativeProcess.on('uncaughtException', onException);
    nativeProcess.on('unhandledRejection', onRejection);
    nativeProcess.on('rejectionHandled', onHandled);
    return () => {
      nativeProcess.off('uncaughtException', onException);
      nativeProcess.off('unhandledRejection', onRejection);
      nativeProcess.off('rejectionHandled', onHandled);
    };
  }
  const onErrorEvent = (event) => { event.preventDefault(); uncaught.push(event.error ?? event.message); };
  const onRejectionEvent = (event) => { event.preventDefault(); unhandled.set(event.promise, event.reason); };
  const onHandledEvent = (event) => unhandled.delete(event.promise);
  globalThis.addEventListener('error', onErrorEvent);
  globalThis.addEventListener('unhandledrejection', onRejectionEvent);
  globalThis.addEventListener('rejectionhandled', onHandledEvent);
  return () => {
    globalThis.removeEventListener('error', onErrorEvent);
    globalThis.removeEventListener('unhandledrejection', onRejectionEvent);
    globalThis.removeEventListener('rejectionhandled', onHandledEvent);
  };
}

async function callWithTimeout(fn, timeout, what) {
  const ms = timeout ?? defaultTimeout;
  let timer;
  const timedOut = new Promise((_, reject) => {
    timer = realSetTimeout(() => reject(new Error(`Exceeded timeout of ${ms} ms for ${what}.`)), ms);
  });
  try {
    let result;
    if (fn.length > 0) {
      result = new Promise((resolve, reject) => {
        const done = (error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve());
        done.fail = (error) => reject(error);
        fn(done);
      });
    } else {
      result = fn();
    }
    if (result && typeof result.then === 'function') await Promise.race([result, timedOut]);
  } finally {
    realClearTimeout(timer);
  }
}

const formatError = (error) => {
  if (error instanceof Error) return error.stack && error.stack.includes(error.message) ? error.stack : `${error.name}: ${error.message}\n${error.stack ?? ''}`;
  return `thrown: ${String(error)}`;
};
/** Stand-ins for Node-only modules throw errors named NodeOnlyError; such a test is skipped. */
const isNodeOnly = (error) => error instanceof Error && error.name === 'NodeOnlyError';

function ancestry(block) {
  const names = [];
  for (let b = block; b && b.parent; b = b.parent) names.unshift(b.name);
  return names;
}
function chain(block) {
  const blocks = [];
  for (let b = block; b; b = b.parent) blocks.unshift(b);
  return blocks;
}

function blockIsFocused(block) {
  for (let b = block; b; b = b.parent) if (b.mode === 'only') return true;
  return false;
}
function blockIsSkipped(block) {
  for (let b = block; b; b = b.parent) if (b.mode === 'skip') return true;
  return false;
}
function countTests(block) {
  let n = 0;
  for (const child of block.children) n += child.kind === 'test' ? 1 : countTests(child.block);
  return n;
}

async function runTest(test, results, skipReason) {
  const ancestorTitles = ancestry(test.block);
  const base = { ancestorTitles, title: test.name, fullName: [...ancestorTitles, test.name].join(' '), failureMessages: [] };
  const skipped = test.mode === 'skip' || blockIsSkipped(test.block) || (hasOnly && test.mode !== 'only' && !blockIsFocused(test.block));
  if (test.mode === 'todo') return void results.push({ ...base, status: 'todo', duration: 0 });
  if (skipped || skipReason) return void results.push({ ...base, status: 'pending', skipReason, duration: 0 });

  const started = realNow();
  const errors = [];
  let nodeOnly;
  const record = (error) => (isNodeOnly(error) ? (nodeOnly ??= error.message) : errors.push(error));
  expect.setState({ assertionCalls: 0, expectedAssertionsNumber: null, isExpectingAssertions: false, suppressedErrors: [], currentTestName: base.fullName, testPath: undefined });
  uncaught = [];
  unhandled = new Map();
  const stop = listenUncaught();
  const blocks = chain(test.block);
  try {
    let ok = true;
    for (const block of blocks) {
      for (const hook of block.beforeEach) {
        if (!ok) break;
        try { await callWithTimeout(hook.fn, hook.timeout, 'a beforeEach hook'); } catch (error) { record(error); ok = false; }
      }
    }
    if (ok) {
      try { await callWithTimeout(test.fn, test.timeout, `test "${base.fullName}"`); } catch (error) { record(error); }
    }
    for (const block of [...blocks].reverse()) {
      for (const hook of block.afterEach) {
        try { await callWithTimeout(hook.fn, hook.timeout, 'an afterEach hook'); } catch (error) { record(error); }
      }
    }
    if (!nodeOnly && errors.length === 0) {
      for (const error of expect.extractExpectedAssertionsErrors()) errors.push(error.error);
      for (const error of expect.getState().suppressedErrors ?? []) errors.push(error);
    }
    // Let the runtime report (and take back) rejections from this test before judging.
    await new Promise((resolve) => realSetTimeout(resolve, 0));
    await new Promise((resolve) => realSetTimeout(resolve, 0));
    for (const error of uncaught) record(error);
    for (const reason of unhandled.values()) record(reason);
  } finally {
    stop();
  }
  const duration = Math.round(realNow() - started);
  if (nodeOnly && errors.length === 0) results.push({ ...base, status: 'pending', skipReason: nodeOnly, duration });
  else results.push({ ...base, status: errors.length ? 'failed' : 'passed', failureMessages: errors.map(formatError), duration });
}

async function runBlock(block, results, inheritedSkip) {
  let skipReason = inheritedSkip;
  const total = countTests(block);
  const runsAny = total > 0 && !blockIsSkipped(block);
  if (runsAny && !skipReason) {
    for (const hook of block.beforeAll) {
      try {
        await callWithTimeout(hook.fn, hook.timeout, 'a beforeAll hook');
      } catch (error) {
        skipReason = isNodeOnly(error) ? error.message : undefined;
        if (!skipReason) {
          // jest fails every test of the block when a beforeAll hook fails
          for (const t of collect(block)) {
            const ancestorTitles = ancestry(t.block);
            results.push({ ancestorTitles, title: t.name, fullName: [...ancestorTitles, t.name].join(' '), status: 'failed', failureMessages: [formatError(error)], duration: 0 });
          }
          return;
        }
        break;
      }
    }
  }
  for (const child of block.children) {
    if (child.kind === 'test') await runTest(child, results, skipReason);
    else await runBlock(child.block, results, skipReason);
  }
  if (runsAny && !skipReason) {
    for (const hook of block.afterAll) {
      try {
        await callWithTimeout(hook.fn, hook.timeout, 'an afterAll hook');
      } catch (error) {
        if (!isNodeOnly(error)) results.push({ ancestorTitles: ancestry(block), title: 'afterAll', fullName: `${ancestry(block).join(' ')} afterAll`, status: 'failed', failureMessages: [formatError(error)], duration: 0 });
      }
    }
  }
}
function collect(block) {
  const tests = [];
  for (const child of block.children) {
    if (child.kind === 'test') tests.push(child);
    else tests.push(...collect(child.block));
  }
  return tests;
}

globalThis.__runtimeSpecs = {
  async run() {
    const started = realNow();
    const assertionResults = [];
    await runBlock(rootBlock, assertionResults, undefined);
    if (clock) jest.useRealTimers();
    return { assertionResults, duration: Math.round(realNow() - started) };
  },
};
