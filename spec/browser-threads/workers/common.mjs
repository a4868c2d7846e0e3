/* global self, queueMicrotask */
// What every worker script shares: its parameters arrive as the first message from the page
// (a module worker has no workerData), its findings go back with postMessage.

/**
 * Runs `main(data)` with the first message's data; a rejection is rethrown as an uncaught
 * exception here, which the Worker object in the page sees as its `error` event. (Throwing
 * inside the `catch` would only make another unhandled rejection: a browser reports that as
 * `unhandledrejection` in the worker and never to the page, unlike Node's worker_threads.)
 */
export function start(main) {
  self.addEventListener('message', ({ data }) => {
    main(data).catch((error) => {
      queueMicrotask(() => {
        throw error;
      });
    });
  }, { once: true });
}

/** The next message from the page. */
export const next = () => new Promise((resolve) => self.addEventListener('message', ({ data }) => resolve(data), { once: true }));

/** Posts a finding to the page. */
export const report = (message, transfer = []) => self.postMessage(message, transfer);
