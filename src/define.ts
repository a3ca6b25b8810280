/**
 * Registers every Parley element. The one module with side effects: import it (or the bundle built
 * from it) once; importing it again, or alongside another copy of Parley, keeps the first definitions.
 */
import { ParleyComposer } from './elements/composer/composer.ts';
import { ParleyConversationList } from './elements/conversation-list/conversation-list.ts';
import { ParleyInbox } from './elements/inbox/inbox.ts';
import { ParleyLauncher } from './elements/launcher/launcher.ts';
import { ParleySettings } from './elements/settings/settings.ts';
import { ParleyStatus } from './elements/status/status.ts';
import { ParleyThread } from './elements/thread/thread.ts';

ParleyStatus.define('parley-status');
ParleyComposer.define('parley-composer');
ParleyThread.define('parley-thread');
ParleyConversationList.define('parley-conversation-list');
ParleyInbox.define('parley-inbox');
ParleyLauncher.define('parley-launcher');
ParleySettings.define('parley-settings');

export { ParleyComposer, ParleyConversationList, ParleyInbox, ParleyLauncher, ParleySettings, ParleyStatus, ParleyThread };
export * from './elements/events.ts';
