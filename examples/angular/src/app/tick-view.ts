import { type OperatorFunction, scan } from 'rxjs';

/** How many of the latest ticks a view keeps: the view's memory is bounded too. */
export const SHOWN = 10;

/** What a view shows: how many ticks it received, and the latest {@link SHOWN} of them. */
export interface TickView {
  readonly received: number;
  readonly latest: readonly number[];
}

export const NO_TICKS: TickView = { received: 0, latest: [] };

/** Folds ticks into a {@link TickView}. */
export const toTickView = (): OperatorFunction<number, TickView> =>
  scan((view: TickView, tick: number) => ({ received: view.received + 1, latest: [...view.latest, tick].slice(-SHOWN) }), NO_TICKS);
