/**
 * The globals @web/test-runner-mocha provides to browser suites (test/elements, test/browser), typed
 * here because @types/mocha is not a dependency. Only what the suites use.
 */
type MochaDone = (error?: unknown) => void;
type MochaFn = (this: MochaContext, done: MochaDone) => unknown;
interface MochaContext {
  timeout(ms: number): void;
  skip(): never;
}
interface MochaSuiteFn {
  (title: string, fn: (this: MochaContext) => void): void;
  skip(title: string, fn: (this: MochaContext) => void): void;
}
interface MochaTestFn {
  (title: string, fn?: MochaFn | ((this: MochaContext) => unknown)): void;
  skip(title: string, fn?: MochaFn | ((this: MochaContext) => unknown)): void;
}
type MochaHookFn = (fn: MochaFn | ((this: MochaContext) => unknown)) => void;

declare const describe: MochaSuiteFn;
declare const it: MochaTestFn;
declare const before: MochaHookFn;
declare const after: MochaHookFn;
declare const beforeEach: MochaHookFn;
declare const afterEach: MochaHookFn;
