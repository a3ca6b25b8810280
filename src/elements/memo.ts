/**
 * Remembers the last result of `compute` and returns it again while every argument is the same
 * (`Object.is`). Root elements render on any store change; handing their children the same
 * object or array when nothing it depends on changed spares those children an update.
 */
export function memoizeLast<A extends readonly unknown[], R>(compute: (...args: A) => R): (...args: A) => R {
  let last: { readonly args: A; readonly result: R } | null = null;
  return (...args: A): R => {
    if (last && last.args.length === args.length && last.args.every((arg, i) => Object.is(arg, args[i]))) {
      return last.result;
    }
    const result = compute(...args);
    last = { args, result };
    return result;
  };
}
