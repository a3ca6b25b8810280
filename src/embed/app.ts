/**
 * The chunk `dist/parley.js` loads on first open (or on idle for a returning visitor): the full
 * launcher with the elements its panel renders, Lit, nanostores and supabase-js.
 *
 * Every element the launcher's panel renders must be defined here (by definePanel, on its first
 * open): the embed suite fails on any undefined element in the open panel.
 */
import type { PropertyValues } from 'lit';
import { ParleyComposerCore } from '../elements/composer/composer-core.ts';
import { ParleyLauncher } from '../elements/launcher/launcher.ts';
import { ParleyStatus } from '../elements/status/status.ts';
import { ParleyThread } from '../elements/thread/thread.ts';

let panelDefined = false;

/**
 * Defines the panel's elements, on its first open. Defining a Lit element finalizes its class
 * (properties, styles), work a returning visitor's idle connect, which shows only the bubble, need
 * not do. In this chunk rather than one of their own: a second chunk costs more bytes on first open
 * (brotli loses the shared context) than the download it would spare the idle connect.
 */
function definePanel(): void {
  if (panelDefined) return;
  panelDefined = true;
  ParleyStatus.define('parley-status');
  // Without the agent's tools (canned replies, the Reply / Note switch): the launcher uses neither.
  ParleyComposerCore.define('parley-composer');
  ParleyThread.define('parley-thread');
}

/**
 * The full launcher under the stub's internal tag. A subclass, because one constructor can be
 * registered under only one tag, and a page may also load the full bundle with its own
 * `<parley-launcher>` definition.
 */
export class ParleyLauncherApp extends ParleyLauncher {
  protected override willUpdate(changed: PropertyValues<this>): void {
    // Before the render that first builds the panel, so its elements are created defined.
    if (this.open) definePanel();
    super.willUpdate(changed);
  }
}

export const appTag = 'parley-launcher-app';

ParleyLauncherApp.define(appTag);

declare global {
  interface HTMLElementTagNameMap {
    'parley-launcher-app': ParleyLauncherApp;
  }
}
