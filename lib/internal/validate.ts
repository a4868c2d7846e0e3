/**
 * Argument checks for programmer mistakes. Each throws a built-in `TypeError`/`RangeError`
 * whose message names the argument and shows the bad value with its type, as p-limit does:
 * ``Expected `capacity` to be an integer >= 1, got `0` (number)``.
 */

/** Renders a value for an error message: short, with its type. */
export function show(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (typeof value === 'function') text = `[function ${value.name || 'anonymous'}]`;
  else if (typeof value === 'symbol' || typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else if (value === null || value === undefined) text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? Object.prototype.toString.call(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  if (text.length > 60) text = `${text.slice(0, 57)}...`;
  return `\`${text}\` (${value === null ? 'null' : typeof value})`;
}

/** Throws unless `value` is an integer >= `min` (`Infinity` allowed when `allowInfinity`). */
export function checkInteger(name: string, value: unknown, min: number, allowInfinity = false): number {
  if (typeof value !== 'number') {
    throw new TypeError(`Expected \`${name}\` to be an integer >= ${min}, got ${show(value)}`);
  }
  if (!(Number.isInteger(value) || (allowInfinity && value === Infinity)) || value < min) {
    throw new RangeError(
      `Expected \`${name}\` to be an integer >= ${min}${allowInfinity ? ' or Infinity' : ''}, got ${show(value)}`,
    );
  }
  return value;
}

/** Throws unless `value` is one of `allowed`. */
export function checkOneOf<const A extends readonly string[]>(name: string, value: unknown, allowed: A): A[number] {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    const list = allowed.map((a) => `'${a}'`).join(', ');
    const Err = typeof value === 'string' ? RangeError : TypeError;
    throw new Err(`Expected \`${name}\` to be one of ${list}, got ${show(value)}`);
  }
  return value;
}

/**
 * Options of every operation that waits (`send`, `reserve`, `recv`, `recvMany`, `changed` ...).
 * Defined once here and re-exported by each channel kind.
 */
export interface WaitOptions {
  /** Aborting it cancels the wait; the operation then rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/**
 * For methods that return a promise: a rejected promise (TypeError showing the bad value) when
 * `options.signal` is neither undefined nor an AbortSignal, else `null`. Such methods reject
 * rather than throw, whatever the mistake.
 */
export function rejectBadSignal(options: WaitOptions | undefined): Promise<never> | null {
  if (options === undefined) return null;
  const signal: unknown = options.signal;
  if (signal === undefined || signal instanceof AbortSignal) return null;
  return Promise.reject(new TypeError(`Expected \`signal\` to be an AbortSignal, got ${show(signal)}`));
}

/** Throws unless `value` is undefined or an AbortSignal. */
export function checkSignal(value: unknown): AbortSignal | undefined {
  if (value === undefined || value instanceof AbortSignal) return value;
  throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${show(value)}`);
}

/** Throws unless `value` is undefined or a function. */
export function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${show(value)}`);
  }
}
