// The analyzer ships types for its plugin API only; this is the part of its CLI module we call.
declare module '@custom-elements-manifest/analyzer/cli.js' {
  export function cli(options?: {
    /** Arguments after the executable, e.g. `['analyze', '--quiet']`. */
    argv?: string[];
    /** Where the config is looked up and the globs are resolved. */
    cwd?: string;
    /** Return the manifest without writing custom-elements.json. */
    noWrite?: boolean;
  }): Promise<unknown>;
}
