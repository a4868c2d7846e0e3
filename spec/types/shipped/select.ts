/**
 * Shipped-types test: `select`'s result is a union over the branch keys, narrowed by `key`;
 * `select.send(tx, v)` takes a value of the sender's type.
 */
import { expectTypeOf } from 'expect-type';
import { broadcast, mpmc, mpsc, oneshot, select, watch, type Branch, type SelectResult } from 'rxjs-channel';

declare const numbers: mpsc.Receiver<number>;
declare const words: mpmc.Sender<string>;
declare const jobs: mpmc.Receiver<{ id: string }>;
declare const done: oneshot.Receiver<boolean>;
declare const news: broadcast.Receiver<string>;
declare const config: watch.Receiver<{ level: number }>;

export async function narrowing(signal: AbortSignal): Promise<void> {
  const result = await select({
    n: select.recv(numbers),
    w: select.send(words, 'x'),
    late: select.timeout(10),
    stop: select.abort(signal),
    idle: select.default(),
  });
  expectTypeOf(result).toEqualTypeOf<
    | { key: 'n'; value: number | undefined }
    | { key: 'w'; value: undefined }
    | { key: 'late'; value: undefined }
    | { key: 'stop'; value: unknown }
    | { key: 'idle'; value: undefined }
  >();
  if (result.key === 'n') expectTypeOf(result.value).toEqualTypeOf<number | undefined>();
  if (result.key === 'w') expectTypeOf(result.value).toEqualTypeOf<undefined>();
  switch (result.key) {
    case 'n':
      // @ts-expect-error narrowed to the receiver's value: not a string
      result.value satisfies string | undefined;
      break;
    case 'stop':
      expectTypeOf(result.value).toBeUnknown();
      break;
  }
}

export async function receiversAsBranches(): Promise<void> {
  const result = await select({ job: jobs, done, news, config });
  expectTypeOf(result).toEqualTypeOf<
    | { key: 'job'; value: { id: string } | undefined }
    | { key: 'done'; value: boolean }
    | { key: 'news'; value: string | undefined }
    | { key: 'config'; value: { level: number } }
  >();
  const optional = Math.random() < 0.5 ? undefined : numbers;
  expectTypeOf(await select({ optional, never: undefined, idle: select.default() })).toEqualTypeOf<
    { key: 'optional'; value: number | undefined } | { key: 'idle'; value: undefined }
  >();
}

declare const tx: mpsc.Sender<number>;
expectTypeOf(select.send(tx, 1)).toEqualTypeOf<Branch<undefined>>();
expectTypeOf(select.send(words, 'hello')).toEqualTypeOf<Branch<undefined>>();
expectTypeOf(select.timeout(1)).toEqualTypeOf<Branch<undefined>>();
// @ts-expect-error a string cannot be sent on a number channel
select.send(tx, 'no');
// @ts-expect-error a number is not a branch
void select({ oops: 1 });
// @ts-expect-error a receiver is not a sender
select.send(numbers, 1);

export const branches = { flag: done, late: select.timeout(1) };
expectTypeOf<SelectResult<typeof branches>>().toEqualTypeOf<{ key: 'flag'; value: boolean } | { key: 'late'; value: undefined }>();
