import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, type OnInit, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { EMPTY, switchMap } from 'rxjs';
import { mpsc } from 'rxjs-channel';
import { CAPACITY, type TickProducer } from './tick-producer';
import { NO_TICKS, toTickView } from './tick-view';

/**
 * Shows a channel's ticks through `toSignal`, and can pause.
 *
 * The view owns the channel: it creates it, hands the sender to the producer and keeps the
 * receiver. Pausing unsubscribes from the receiver (`switchMap` to `EMPTY`): the channel keeps
 * what it buffered, fills its {@link CAPACITY} slots, and the producer's next `await tx.send`
 * waits until the view resumes and drains it, nothing lost. Destroying the view closes the
 * receiver (`DestroyRef`), which refuses every waiting and later send with `SendError`.
 */
@Component({
  selector: 'app-signal-ticks',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="view-head">
      <span class="view-status">received {{ view().received }} · {{ paused() ? 'paused' : 'draining' }}</span>
      <button type="button" class="pause" (click)="paused.set(!paused())">{{ paused() ? 'Resume' : 'Pause' }}</button>
    </div>
    <ol class="ticks">
      @for (tick of view().latest; track tick) {
        <li>{{ tick }}</li>
      }
    </ol>
  `,
})
export class SignalTicksComponent implements OnInit {
  /** The producer this view's channel is handed to. */
  readonly producer = input.required<TickProducer>();
  readonly paused = signal(false);

  readonly #channel = mpsc.channel<number>(CAPACITY);

  /** What the receiver delivered, as a signal; one subscription to it at most, held while not paused. */
  readonly view = toSignal(
    toObservable(this.paused).pipe(
      switchMap((paused) => (paused ? EMPTY : this.#channel[1])),
      toTickView(),
    ),
    { initialValue: NO_TICKS },
  );

  constructor() {
    // toSignal unsubscribes on destroy, and unsubscribing leaves a receiver open (its buffered
    // values stay for the next subscriber). This view is the only consumer, so close it.
    const rx = this.#channel[1];
    inject(DestroyRef).onDestroy(() => rx.close());
  }

  ngOnInit(): void {
    this.producer().connect(this.#channel[0]);
  }
}
