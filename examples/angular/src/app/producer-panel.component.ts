import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { TickProducer } from './tick-producer';

/** The producer's side of a lane: what it sent, and whether it is blocked by a full channel. */
@Component({
  selector: 'app-producer-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'producer', '[class.blocked]': 'state() === "blocked"', '[class.closed]': 'state() === "closed"' },
  template: `
    <div class="producer-head">
      <span class="producer-status">sent {{ producer().sent() }} · waiting sends {{ producer().waiting() }} · refused {{ producer().refused() }}</span>
      <button type="button" class="produce" (click)="produce()">Produce 5 ticks</button>
    </div>
    <p class="producer-state">
      @switch (state()) {
        @case ('blocked') { Blocked: the channel is full ({{ producer().capacity }}/{{ producer().capacity }}); <code>await tx.send()</code> waits for room }
        @case ('closed') { Receiver closed: <code>tx.closed()</code> resolved; sends reject with <code>SendError</code> }
        @case ('none') { No receiver yet }
        @default { Ready: the view keeps up }
      }
    </p>
  `,
})
export class ProducerPanelComponent {
  readonly producer = input.required<TickProducer>();

  readonly state = computed(() => {
    const producer = this.producer();
    if (producer.receiver() !== 'open') return producer.receiver();
    return producer.waiting() > 0 ? 'blocked' : 'sending';
  });

  produce(): void {
    void this.producer().produce(5);
  }
}
