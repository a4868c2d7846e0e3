/* global MessageChannel */
// Injected into every spec bundle before anything else (see spec/runtimes/bundle.mjs): the
// globals the specs and jest's own packages expect from Node, where the runtime lacks them.
// It imports nothing, so it is fully set up before expect, chalk and friends evaluate.

// Browsers have no setImmediate; the specs' flush() uses it as "after every queued promise
// job". A message-channel task is the same guarantee. Installed on globalThis (not only for
// the specs), so that jest.useFakeTimers() fakes it as it does under Node.
if (typeof globalThis.setImmediate !== 'function') {
  const pending = new Map();
  let nextId = 1;
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => {
    const task = pending.get(event.data);
    if (!task) return;
    pending.delete(event.data);
    task.fn(...task.args);
  };
  globalThis.setImmediate = (fn, ...args) => {
    const id = nextId++;
    pending.set(id, { fn, args });
    channel.port2.postMessage(id);
    return id;
  };
  globalThis.clearImmediate = (id) => void pending.delete(id);
}

const nodeOnly = (what) => Object.assign(new Error(`${what} needs Node`), { name: 'NodeOnlyError' });

// --- process: only what the specs use; the real one where the runtime has it -------------
const unhandledListeners = new Map();
const browserProcess = {
  env: {},
  argv: [],
  platform: 'browser',
  versions: {},
  cwd: () => '/',
  on(name, listener) {
    if (name !== 'unhandledRejection') throw nodeOnly(`process.on('${name}')`);
    const wrapped = (event) => listener(event.reason, event.promise);
    unhandledListeners.set(listener, wrapped);
    globalThis.addEventListener('unhandledrejection', wrapped);
    return browserProcess;
  },
  off(name, listener) {
    const wrapped = unhandledListeners.get(listener);
    if (wrapped) globalThis.removeEventListener('unhandledrejection', wrapped);
    unhandledListeners.delete(listener);
    return browserProcess;
  },
};
export const nativeProcess = typeof globalThis.process?.on === 'function' ? globalThis.process : undefined;
const process_ = nativeProcess ?? browserProcess;
export { process_ as process };

