import { ChangeDetectionStrategy, Component, signal, VERSION } from '@angular/core';
import { ProducerPanelComponent } from './producer-panel.component';
import { ResourceTicksComponent } from './resource-ticks.component';
import { SignalTicksComponent } from './signal-ticks.component';
import { CAPACITY, TickProducer } from './tick-producer';

/**
 * Two lanes, each a producer and a view joined by its own `mpsc.channel(3)`: one view reads the
 * receiver with `toSignal`, the other with `rxResource`. Either view can be destroyed and created
 * again; the producers outlive them.
 */
@Component({
  selector: 'app-root',
  imports: [ProducerPanelComponent, SignalTicksComponent, ResourceTicksComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header>
      <h1>rxjs-channel · Angular {{ version }}</h1>
      <p>Each lane joins a producer to a view with <code>mpsc.channel({{ capacity }})</code>: the producer sends with
        <code>await tx.send(tick)</code>, the view subscribes to the receiver.</p>
    </header>
    <main>
      <section class="lane signal-lane">
        <h2>toSignal</h2>
        <app-producer-panel [producer]="signalProducer" />
        @if (showSignalView()) {
          <app-signal-ticks [producer]="signalProducer" />
        } @else {
          <p class="no-view">View destroyed: its receiver is closed.</p>
        }
        <button type="button" class="toggle-view" (click)="showSignalView.set(!showSignalView())">
          {{ showSignalView() ? 'Destroy view' : 'Create view' }}
        </button>
      </section>
      <section class="lane resource-lane">
        <h2>rxResource</h2>
        <app-producer-panel [producer]="resourceProducer" />
        @if (showResourceView()) {
          <app-resource-ticks [producer]="resourceProducer" />
        } @else {
          <p class="no-view">View destroyed: its receiver is closed.</p>
        }
        <button type="button" class="toggle-view" (click)="showResourceView.set(!showResourceView())">
          {{ showResourceView() ? 'Destroy view' : 'Create view' }}
        </button>
      </section>
    </main>
  `,
})
export class AppComponent {
  protected readonly version = VERSION.full;
  protected readonly capacity = CAPACITY;
  readonly signalProducer = new TickProducer();
  readonly resourceProducer = new TickProducer();
  readonly showSignalView = signal(true);
  readonly showResourceView = signal(true);
}
