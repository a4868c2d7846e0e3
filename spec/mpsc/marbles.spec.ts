import { filter, map, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { mpsc, ReceiverBusyError } from 'rxjs-channel';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('Receiver marbles', () => {
  it('delivers each value in the frame it is sent, through operators, and completes when the source completes', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const [tx, rx] = mpsc.channel<number>(1);
      hot('--a--b---c--|', { a: 1, b: 2, c: 3 }).subscribe(tx);
      expectObservable(rx.pipe(map((n) => n * 10))).toBe('--a--b---c--|', { a: 10, b: 20, c: 30 });
    });
  });

  it('a synchronous subscriber never lets a capacity-1 channel fill: a burst in one frame is delivered in that frame', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const [tx, rx] = mpsc.channel<string>(1);
      hot('-(abc)-(de)-|').subscribe(tx);
      expectObservable(rx).toBe('-(abc)-(de)-|');
    });
  });

  it('completes only when the last of several senders drops', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const [tx, rx] = mpsc.channel<string>(4);
      hot('-a---b|').subscribe(tx.clone());
      hot('---x------y--|').subscribe(tx);
      expectObservable(rx).toBe('-a-x-b----y--|');
    });
  });

  it('errors after draining when a sender calls error(e)', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const [tx, rx] = mpsc.channel<string>(4);
      hot('-a--b--#', undefined, new Error('source failed')).subscribe(tx);
      expectObservable(rx).toBe('-a--b--#', undefined, new Error('source failed'));
    });
  });

  it('values sent before the first subscription wait in the buffer and arrive when it starts', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const [tx, rx] = mpsc.channel<string>(4);
      hot('-a-b-------c-|').subscribe(tx);
      expectObservable(rx, '-----^').toBe('-----(ab)--c-|');
    });
  });

  it('a buffered error(e) is delivered after the buffered values, when the subscription starts', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const [tx, rx] = mpsc.channel<string>(4);
      hot('-a-b-#', undefined, 'boom').subscribe(tx);
      expectObservable(rx, '-------^').toBe('-------(ab#)', undefined, 'boom');
    });
  });

  it('sequential re-subscription continues where the previous subscriber stopped', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const [tx, rx] = mpsc.channel<string>(8);
      hot('-a-b-c-d-|').subscribe(tx);
      expectObservable(rx.pipe(take(2))).toBe('-a-(b|)');
      expectObservable(rx, '------^').toBe('------cd-|');
    });
  });

  it('undelivered values stay buffered across an unsubscription and go to the next subscriber', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const [tx, rx] = mpsc.channel<string>(8);
      hot('-a-b-c-------d-e-|').subscribe(tx);
      expectObservable(rx, '^--!').toBe('-a-');
      expectObservable(rx, '------^').toBe('------(bc)---d-e-|');
    });
  });

  it('a second concurrent subscription errors with ReceiverBusyError at once; the first is unaffected', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const [tx, rx] = mpsc.channel<string>(8);
      hot('-a--b--|').subscribe(tx);
      expectObservable(rx).toBe('-a--b--|');
      expectObservable(rx, '--^').toBe('--#', undefined, new ReceiverBusyError());
    });
  });

  it('a filtered-out value is still consumed from the channel', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const [tx, rx] = mpsc.channel<number>(2);
      hot('-a-b-c-|', { a: 1, b: 2, c: 3 }).subscribe(tx);
      expectObservable(rx.pipe(filter((n) => n !== 2))).toBe('-a---c-|', { a: 1, c: 3 });
    });
  });

  it('ends at once when the receiver closes with nothing buffered', () => {
    scheduler().run(({ hot, cold, expectObservable }) => {
      const [tx, rx] = mpsc.channel<string>(4);
      hot('-a-------b-|').subscribe(tx);
      cold('----x').subscribe(() => rx.close());
      expectObservable(rx).toBe('-a--|');
    });
  });
});
