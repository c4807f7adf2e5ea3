/**
 * Lets waiting work run (I/O callbacks, incoming requests) before continuing: background loops call it between items.
 * `setImmediate` where the runtime has it (Node), a zero timeout elsewhere (Workers).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
