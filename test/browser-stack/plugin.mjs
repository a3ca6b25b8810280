// A web-test-runner plugin that starts the local Supabase stack on a random port with a fresh
// database for the browser suites, and tells pages where it is through /__parley/stack.json.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../../supabase/local/src/child.ts', import.meta.url));
export const STACK_CONFIG_PATH = '/__parley/stack.json';

export function localStackPlugin() {
  let child;
  let boot;
  return {
    name: 'parley-local-stack',
    async serverStart() {
      child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const [message] = await Promise.race([
        once(child, 'message'),
        once(child, 'exit').then(([code]) => { throw new Error(`the local stack exited with ${code} before starting`); }),
      ]);
      boot = message;
    },
    async serverStop() {
      if (!child || child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
    serve(context) {
      if (context.path !== STACK_CONFIG_PATH) return undefined;
      return {
        body: JSON.stringify({ url: boot.url, anonKey: boot.keys.anon, serviceRoleKey: boot.keys.serviceRole }),
        type: 'json',
      };
    },
  };
}
