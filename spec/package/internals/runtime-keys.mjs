// Lists the string-keyed properties a user can reach on each handle of the package (own and
// inherited, up to RxJS's Observable.prototype or Object.prototype, without `constructor` and
// RxJS's own Observable members such as `_subscribe`), for
// the CommonJS build (`require`) and the ESM build (`import`). Run from a consumer project by
// spec/package/internals.spec.ts, which compares them with the shipped declarations.
// Prints one JSON line: { cjs: { 'mpsc.Sender': [...], ... }, esm: { ... } }.
import { createRequire } from 'node:module';
import { Observable as EsmObservable } from 'rxjs';
import * as esm from 'rxjs-channel';

const require = createRequire(import.meta.url);
const cjs = require('rxjs-channel');
const stops = new Set([Object.prototype, EsmObservable.prototype, require('rxjs').Observable.prototype]);

// RxJS's own protocol: every Observable (subclass) has these, whatever this package declares;
// `_subscribe` is what an Observable subclass overrides (RxJS sets it on instances too).
const rxjsProtocol = new Set(
  [EsmObservable, require('rxjs').Observable].flatMap((O) => [
    ...Object.getOwnPropertyNames(O.prototype),
    ...Object.getOwnPropertyNames(new O(() => {})),
  ]),
);

function keys(value) {
  const found = new Set();
  for (let o = value; o !== null && !stops.has(o); o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) if (key !== 'constructor' && !rxjsProtocol.has(key)) found.add(key);
  }
  return [...found].sort();
}

function handles(lib) {
  const [tx, rx] = lib.mpsc.channel(2);
  const permit = tx.tryReserve();
  const [mtx, mrx] = lib.mpmc.channel(2);
  const [otx, orx] = lib.oneshot.channel();
  const [btx, brx] = lib.broadcast.channel(2);
  const [wtx, wrx] = lib.watch.channel(0);
  return {
    'mpsc.Sender': tx,
    'mpsc.Receiver': rx,
    'mpsc.Permit': permit,
    'mpsc.WeakSender': tx.downgrade(),
    'mpmc.Sender': mtx,
    'mpmc.Receiver': mrx,
    'oneshot.Sender': otx,
    'oneshot.Receiver': orx,
    'broadcast.Sender': btx,
    'broadcast.Receiver': brx,
    'watch.Sender': wtx,
    'watch.Receiver': wrx,
    // what toChannel returns is an mpsc receiver; backpressure returns its own class
    'toChannel()': lib.toChannel([1], 1),
    Backpressured: lib.backpressure(1)([1]),
  };
}

const out = {};
for (const [name, lib] of Object.entries({ cjs, esm })) {
  out[name] = Object.fromEntries(Object.entries(handles(lib)).map(([k, v]) => [k, keys(v)]));
}
console.log(JSON.stringify(out));
