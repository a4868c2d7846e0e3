import { ChangeDetectionStrategy, Component, input, type OnInit } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { mpsc } from 'rxjs-channel';
import { CAPACITY, type TickProducer } from './tick-producer';
import { NO_TICKS, toTickView } from './tick-view';

/**
 * Shows a channel's ticks through `rxResource`: a streaming resource whose value is the latest
 * view of the receiver, with the resource's status (`loading` until the first tick, then
 * `resolved`).
 *
 * The resource subscribes to the receiver when it starts its stream and unsubscribes when its
 * abort signal fires. This resource has no `params`, so that happens once: when the resource is
 * destroyed with the view. The view is the receiver's only consumer, so it closes the receiver
 * on that same signal, which refuses every waiting and later send with `SendError`. (With
 * `params`, the signal also fires on each params change or `reload()`; a view that should keep
 * its receiver across those closes it with `DestroyRef` instead, as the toSignal view does.)
 */
@Component({
  selector: 'app-resource-ticks',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="view-head">
      <span class="view-status">received {{ ticks.value().received }} · resource {{ ticks.status() }}</span>
    </div>
    <ol class="ticks">
      @for (tick of ticks.value().latest; track tick) {
        <li>{{ tick }}</li>
      }
    </ol>
  `,
})
export class ResourceTicksComponent implements OnInit {
  /** The producer this view's channel is handed to. */
  readonly producer = input.required<TickProducer>();

  readonly #channel = mpsc.channel<number>(CAPACITY);

  readonly ticks = rxResource({
    stream: ({ abortSignal }) => {
      const rx = this.#channel[1];
      abortSignal.addEventListener('abort', () => rx.close(), { once: true });
      return rx.pipe(toTickView());
    },
    defaultValue: NO_TICKS,
  });

  ngOnInit(): void {
    this.producer().connect(this.#channel[0]);
  }
}
