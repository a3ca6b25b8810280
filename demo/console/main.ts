// The console page registers every Parley element, as an app that installed the package would
// (`import 'parley-chat/define'`).
import '../../src/define.ts';
import { closeLoginsOnOutsideClick } from '../shared/logins.ts';

closeLoginsOnOutsideClick();

// The page's router: `#settings` opens the workspace settings (admins; others stay in the inbox),
// and the hash follows the view the console shows, so a link or a reload lands where the admin was.
const inbox = document.querySelector('parley-inbox');
// ?lang=de (fr, es, pt, ar, ja): the console in that language, as lang="de" on the element would.
const lang = new URLSearchParams(location.search).get('lang');
if (inbox && lang) inbox.setAttribute('lang', lang);
if (inbox) {
  const fromHash = (): void => {
    inbox.view = location.hash === '#settings' ? 'settings' : 'inbox';
  };
  fromHash();
  window.addEventListener('hashchange', fromHash);
  new MutationObserver(() => {
    const hash = inbox.view === 'settings' ? '#settings' : '';
    if (location.hash !== hash) history.pushState(null, '', hash || `${location.pathname}${location.search}`);
  }).observe(inbox, { attributes: true, attributeFilter: ['view'] });
}
