// rxjs Subject with a synchronous subscriber: no buffer and no backpressure at all.
import { Subject } from 'rxjs';
import { produce } from '../harness.mjs';

export const subject = {
  name: 'rxjs-subject',
  label: 'rxjs Subject, sync subscriber (no backpressure)',
  group: 'peer',
  package: 'rxjs',
  bounded: false,
  async run({ n, producers, consumer }) {
    const subject = new Subject();
    const done = new Promise((resolve, reject) => subject.subscribe({ next: consumer(), error: reject, complete: resolve }));
    await produce(producers, n, async (p, step, count) => {
      for (let v = p, k = 1; v < count; v += step, k++) {
        subject.next(v);
        if ((k & 1023) === 0) await null;
      }
    });
    subject.complete();
    await done;
  },
};
