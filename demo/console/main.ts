// The console page registers every Parley element, as an app that installed the package would
// (`import 'parley-chat/define'`).
import '../../src/define.ts';
import { closeLoginsOnOutsideClick } from '../shared/logins.ts';

closeLoginsOnOutsideClick();
