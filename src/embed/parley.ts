/**
 * `dist/parley.js`, the one script tag a site adds: defines `<parley-launcher>` as the small stub
 * that loads the chat itself on first open. The IIFE build (`dist/parley.iife.js`) is src/define.ts.
 */
import { ParleyLauncherStub } from './launcher-stub.ts';

ParleyLauncherStub.define('parley-launcher');

export { ParleyLauncherStub };
