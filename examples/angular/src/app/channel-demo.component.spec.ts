import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { ChannelDemoComponent, SHOWN } from './channel-demo.component';
import { CAPACITY, TickProducer } from './tick-producer';

interface Rendered {
  fixture: ComponentFixture<ChannelDemoComponent>;
  producer: TickProducer;
  host: HTMLElement;
}

async function render(): Promise<Rendered> {
  TestBed.configureTestingModule({
    imports: [ChannelDemoComponent],
    providers: [provideZonelessChangeDetection()],
  });
  const fixture = TestBed.createComponent(ChannelDemoComponent);
  await fixture.whenStable();
  // The producer is provided by the component, so each render gets a fresh channel.
  const producer = fixture.debugElement.injector.get(TickProducer);
  return { fixture, producer, host: fixture.nativeElement as HTMLElement };
}

/**
 * Lets every queued microtask run (the producer's chain of `await tx.send`): they all run before
 * the next macrotask turn. A zero-delay turn, not a sleep: no time has to pass.
 */
const flushMicrotasks = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Flushes microtasks, then waits for Angular to render what changed. */
async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  await flushMicrotasks();
  await fixture.whenStable();
}

/** Watches a promise so a test can assert, after a flush, whether it has settled yet. */
function track<T>(promise: Promise<T>): { settled: boolean; value?: T } {
  const state: { settled: boolean; value?: T } = { settled: false };
  void promise.then((value) => Object.assign(state, { settled: true, value }));
  return state;
}

const ticksIn = (host: HTMLElement, view: string): string[] =>
  Array.from(host.querySelectorAll(`.${view} li`), (li) => li.textContent!.trim());

/** What both views render: the toSignal view and the async-pipe view. */
const views = (host: HTMLElement) => ({ signal: ticksIn(host, 'signal-view'), async: ticksIn(host, 'async-view') });
const both = (ticks: number[]) => ({ signal: ticks.map(String), async: ticks.map(String) });
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const textOf = (host: HTMLElement, selector: string): string =>
  host.querySelector(selector)!.textContent!.replace(/\s+/g, ' ').trim();
const click = (host: HTMLElement, selector: string): void => host.querySelector<HTMLButtonElement>(selector)!.click();

describe('ChannelDemoComponent', () => {
  it('renders nothing before the producer sends', async () => {
    const { host } = await render();
    expect(textOf(host, 'h1')).toBe(`mpsc.channel(${CAPACITY})`);
    expect(views(host)).toEqual(both([]));
    expect(textOf(host, '.status')).toBe('sent 0 · waiting sends 0 · draining');
  });

  it('renders every tick sent into the channel in the toSignal view and in the async-pipe view', async () => {
    const { fixture, producer, host } = await render();
    await expect(producer.produce(2)).resolves.toBe(2);
    await fixture.whenStable();
    expect(views(host)).toEqual(both([1, 2]));

    await expect(producer.produce(4)).resolves.toBe(4);
    await fixture.whenStable();
    expect(views(host)).toEqual(both(range(1, 6)));
    expect(textOf(host, '.status')).toBe('sent 6 · waiting sends 0 · draining');
  });

  it('passes many times more ticks than the channel holds through to both views', async () => {
    const { fixture, producer, host } = await render();
    // More ticks than the channel holds: a draining view keeps making room.
    await expect(producer.produce(CAPACITY * 3)).resolves.toBe(CAPACITY * 3);
    await fixture.whenStable();
    expect(views(host)).toEqual(both(range(1, CAPACITY * 3)));
  });

  it('produces five ticks per click on the produce button', async () => {
    const { fixture, host } = await render();
    click(host, '.produce');
    await settle(fixture);
    expect(views(host)).toEqual(both(range(1, 5)));
    click(host, '.produce');
    await settle(fixture);
    expect(views(host)).toEqual(both(range(1, 10)));
  });

  it('keeps only the latest SHOWN ticks in view', async () => {
    const { fixture, producer, host } = await render();
    await producer.produce(SHOWN + 2);
    await fixture.whenStable();
    expect(views(host)).toEqual(both(range(3, SHOWN + 2)));
  });

  it('makes the producer wait once the channel is full while the view is paused, and resumes it with nothing lost', async () => {
    const { fixture, producer, host } = await render();
    await producer.produce(2);
    await fixture.whenStable();

    click(host, '.toggle');
    await fixture.whenStable();
    expect(textOf(host, '.toggle')).toBe('Resume');

    const done = producer.produce(5);
    const state = track(done);
    await settle(fixture);
    // The channel took CAPACITY ticks; the next send waits for room.
    expect(producer.sent()).toBe(2 + CAPACITY);
    expect(producer.waiting()).toBe(1);
    expect(state.settled).toBe(false);
    expect(textOf(host, '.status')).toBe(`sent ${2 + CAPACITY} · waiting sends 1 · paused`);
    // A paused view does not take from the receiver: both views still show the earlier ticks.
    expect(views(host)).toEqual(both([1, 2]));

    click(host, '.toggle');
    await expect(done).resolves.toBe(5);
    await settle(fixture);
    expect(textOf(host, '.toggle')).toBe('Pause');
    expect(views(host)).toEqual(both(range(1, 7)));
    expect(textOf(host, '.status')).toBe('sent 7 · waiting sends 0 · draining');
  });

  it('closes the channel when destroyed, so a waiting producer stops', async () => {
    const { fixture, producer, host } = await render();
    click(host, '.toggle');
    await fixture.whenStable();
    const state = track(producer.produce(CAPACITY + 2));
    await settle(fixture);
    expect(producer.waiting()).toBe(1);
    expect(state.settled).toBe(false);

    fixture.destroy();
    await flushMicrotasks();
    // The waiting send is refused (SendError), and produce reports how many got through.
    expect(state).toEqual({ settled: true, value: CAPACITY });
    expect(producer.waiting()).toBe(0);
    expect(producer.rx.isClosed).toBe(true);
  });
});
