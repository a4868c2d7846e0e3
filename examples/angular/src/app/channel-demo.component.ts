import { AsyncPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { EMPTY, type Observable, scan, shareReplay, startWith, switchMap } from 'rxjs';
import { TickProducer } from './tick-producer';

/** How many of the latest ticks the views keep: the view's memory is bounded too. */
export const SHOWN = 10;

/**
 * Shows the ticks of a {@link TickProducer}'s channel twice: through `toSignal` and through the
 * `async` pipe.
 *
 * An mpsc receiver has a single consumer, so the component subscribes to it once and shares
 * that subscription (`shareReplay`) between the two views. Pausing unsubscribes from the
 * receiver: the channel keeps what it buffered, fills up, and the producer's `await tx.send`
 * waits until the view resumes and drains it again. That is backpressure from the view back to
 * the producer, with nothing dropped and at most `capacity` ticks held in between.
 */
@Component({
  selector: 'app-channel-demo',
  imports: [AsyncPipe],
  providers: [TickProducer],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>mpsc.channel({{ producer.capacity }})</h1>
    <p class="status">
      sent {{ producer.sent() }} · waiting sends {{ producer.waiting() }} ·
      {{ paused() ? 'paused' : 'draining' }}
    </p>
    <button type="button" class="produce" (click)="produce()">Produce 5 ticks</button>
    <button type="button" class="toggle" (click)="toggle()">{{ paused() ? 'Resume' : 'Pause' }}</button>

    <section>
      <h2>via toSignal</h2>
      <ol class="signal-view">
        @for (tick of ticks(); track tick) {
          <li>{{ tick }}</li>
        }
      </ol>
    </section>

    <section>
      <h2>via the async pipe</h2>
      <ol class="async-view">
        @for (tick of (ticks$ | async) ?? []; track tick) {
          <li>{{ tick }}</li>
        }
      </ol>
    </section>
  `,
})
export class ChannelDemoComponent {
  protected readonly producer = inject(TickProducer);
  readonly paused = signal(false);

  /**
   * The latest {@link SHOWN} ticks. One subscription to the receiver at most (held while not
   * paused), shared by both views.
   */
  readonly ticks$: Observable<number[]> = toObservable(this.paused).pipe(
    switchMap((paused) => (paused ? EMPTY : this.producer.rx)),
    scan((latest: number[], tick: number) => [...latest, tick].slice(-SHOWN), []),
    startWith([]),
    shareReplay({ bufferSize: 1, refCount: true }),
  );
  readonly ticks = toSignal(this.ticks$, { requireSync: true });

  produce(): void {
    void this.producer.produce(5);
  }

  toggle(): void {
    this.paused.update((paused) => !paused);
  }
}
