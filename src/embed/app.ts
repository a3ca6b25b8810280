/**
 * The chunk `dist/parley.js` loads on first open (or on idle for a returning visitor): the full
 * launcher with the elements its panel renders, Lit, nanostores and supabase-js.
 *
 * Every element the launcher's panel renders must be defined here: the embed suite fails on any
 * undefined element in the open panel.
 */
import { ParleyComposer } from '../elements/composer/composer.ts';
import { ParleyLauncher } from '../elements/launcher/launcher.ts';
import { ParleyStatus } from '../elements/status/status.ts';
import { ParleyThread } from '../elements/thread/thread.ts';

/**
 * The full launcher under the stub's internal tag. A subclass, because one constructor can be
 * registered under only one tag, and a page may also load the full bundle with its own
 * `<parley-launcher>` definition.
 */
export class ParleyLauncherApp extends ParleyLauncher {}

export const appTag = 'parley-launcher-app';

ParleyStatus.define('parley-status');
ParleyComposer.define('parley-composer');
ParleyThread.define('parley-thread');
ParleyLauncherApp.define(appTag);

declare global {
  interface HTMLElementTagNameMap {
    'parley-launcher-app': ParleyLauncherApp;
  }
}
