/**
 * `Symbol.dispose` without a global polyfill (so `sideEffects: false` stays true).
 *
 * Node >= 20 and current browsers define `Symbol.dispose`. Where it is missing, the dispose
 * methods are keyed by `Symbol.for('Symbol.dispose')` so the library still loads and `drop()` /
 * `close()` work; `using` there needs a polyfill that defines `Symbol.dispose` before this
 * library is loaded.
 *
 * The `declare global` block lets the shipped `.d.ts` compile in a consumer project whose
 * `lib` lacks `esnext.disposable`; it declares exactly what that lib declares, so the two
 * merge cleanly when both are present.
 */
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
  interface Disposable {
    [Symbol.dispose](): void;
  }
}

/** The well-known dispose symbol, or its registered stand-in on older runtimes. */
export const disposeSymbol: typeof Symbol.dispose =
  (Symbol as { dispose?: typeof Symbol.dispose }).dispose ?? (Symbol.for('Symbol.dispose') as typeof Symbol.dispose);
