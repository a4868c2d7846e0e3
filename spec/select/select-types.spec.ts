import { expectTypeOf } from 'expect-type';
import { mpmc, mpsc, select, type Branch, type SelectResult } from 'rxjs-channel';

describe('select types', () => {
  it('types the result as a union over the branch keys with each branch’s value type', async () => {
    const [, numbers] = mpsc.channel<number>(1);
    const [words] = mpmc.channel<string>(1);
    const result = await select({ n: select.recv(numbers), w: select.send(words, 'x'), late: select.timeout(10), idle: select.default() });
    expectTypeOf(result).toEqualTypeOf<
      | { key: 'n'; value: number | undefined }
      | { key: 'w'; value: undefined }
      | { key: 'late'; value: undefined }
      | { key: 'idle'; value: undefined }
    >();
    if (result.key === 'n') expectTypeOf(result.value).toEqualTypeOf<number | undefined>();
    expect(result).toEqual({ key: 'w', value: undefined });
  });

  it('infers a receiver used directly as a branch, and an abort branch as unknown', () => {
    const [, rx] = mpmc.channel<{ id: string }>(1);
    const controller = new AbortController();
    const pending = select({ job: rx, stop: select.abort(controller.signal) });
    expectTypeOf(pending).resolves.toEqualTypeOf<{ key: 'job'; value: { id: string } | undefined } | { key: 'stop'; value: unknown }>();
    controller.abort();
    return pending;
  });

  it('rejects a value of the wrong type for select.send and a non-branch, at compile time', () => {
    const [tx] = mpsc.channel<number>(1);
    // @ts-expect-error a string cannot be sent on a number channel
    expect(() => select.send(tx, 'no')).not.toThrow();
    // @ts-expect-error a number is not a branch
    void select({ oops: 1 }).catch(() => undefined);
    expectTypeOf(select.timeout(1)).toEqualTypeOf<Branch<undefined>>();
  });

  it('keeps a branch that may be disabled in the union and drops one that is always undefined', async () => {
    const [, rx] = mpsc.channel<number>(1);
    const maybe = Math.random() < 2 ? undefined : rx;
    const result = await select({ maybe, never: undefined, idle: select.default() });
    expectTypeOf(result).toEqualTypeOf<{ key: 'maybe'; value: number | undefined } | { key: 'idle'; value: undefined }>();
    expect(result.key).toBe('idle');
  });

  it('exposes SelectResult for naming the result type', () => {
    const [, rx] = mpsc.channel<boolean>(1);
    const branches = { flag: rx, late: select.timeout(1) };
    expect(Object.keys(branches)).toEqual(['flag', 'late']);
    expectTypeOf<SelectResult<typeof branches>>().toEqualTypeOf<{ key: 'flag'; value: boolean | undefined } | { key: 'late'; value: undefined }>();
  });
});
