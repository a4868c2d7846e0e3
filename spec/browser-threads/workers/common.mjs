/* global self */
// What every worker script shares: its parameters arrive as the first message from the page
// (a module worker has no workerData), its findings go back with postMessage.

/** Runs `main(data)` with the first message's data; a rejection is an uncaught error here. */
export function start(main) {
  self.addEventListener('message', ({ data }) => {
    main(data).catch((error) => {
      throw error;
    });
  }, { once: true });
}

/** The next message from the page. */
export const next = () => new Promise((resolve) => self.addEventListener('message', ({ data }) => resolve(data), { once: true }));

/** Posts a finding to the page. */
export const report = (message, transfer = []) => self.postMessage(message, transfer);
