/**
 * The element type of a handle's private state. Handles declare their variance (`Sender<in T>`,
 * `Receiver<out T>`), which the shipped declarations carry; their private state (a channel
 * that both takes and gives `T`) is invariant in `T`, so it is typed with this instead, and
 * the public methods keep the exact types.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Erased = any;
