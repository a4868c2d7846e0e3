// Rows for the other channel kinds under the same load as mpsc: mpmc with the producers and
// the single `for await` consumer of rxc-send-iter; broadcast as a fan-out of one sender to
// eight synchronously subscribed receivers, against a Subject with eight subscribers. Each
// row is skipped, with the reason, when the built package lacks its kind.
import { Subject } from 'rxjs';
import { sendIterOf } from './rxjs-channel.mjs';

const FAN_OUT = 8;

const needs = (kind) => (lib) => (lib[kind] === undefined ? `lib has no \`${kind}\` export yet` : null);

export const mpmcSendIter = {
  name: 'rxc-mpmc-send-iter',
  label: 'rxjs-channel mpmc: await send + for await',
  group: 'rxjs-channel',
  bounded: true,
  available: needs('mpmc'),
  run: sendIterOf('mpmc'),
};

export const broadcastFanOut = {
  name: 'rxc-broadcast-fanout8',
  label: `rxjs-channel broadcast: 1 sender, ${FAN_OUT} subscribed receivers (msgs/s counts values sent)`,
  group: 'rxjs-channel',
  bounded: true,
  producerCounts: [1],
  available: needs('broadcast'),
  async run({ n, capacity, consumer, lib }) {
    const [tx, first] = lib.broadcast.channel(capacity);
    const receivers = [first];
    while (receivers.length < FAN_OUT) receivers.push(tx.subscribe());
    const done = receivers.map(
      (rx) => new Promise((resolve, reject) => rx.subscribe({ next: consumer(), error: reject, complete: resolve })),
    );
    // broadcast's send never waits (a slow receiver lags instead); the subscribers here are
    // synchronous, so none lags and every one must see all n values.
    for (let v = 0; v < n; v++) tx.send(v);
    tx.drop();
    await Promise.all(done);
  },
};

export const subjectFanOut = {
  name: 'rxjs-subject-fanout8',
  label: `rxjs Subject: 1 producer, ${FAN_OUT} sync subscribers (msgs/s counts values sent)`,
  group: 'peer',
  package: 'rxjs',
  bounded: false,
  producerCounts: [1],
  available: needs('broadcast'), // only meaningful next to the broadcast row
  async run({ n, consumer }) {
    const subject = new Subject();
    const done = [];
    for (let i = 0; i < FAN_OUT; i++) {
      done.push(new Promise((resolve, reject) => subject.subscribe({ next: consumer(), error: reject, complete: resolve })));
    }
    for (let v = 0; v < n; v++) subject.next(v);
    subject.complete();
    await Promise.all(done);
  },
};
