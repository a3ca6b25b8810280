import { createApp } from 'vue';
// Register the tags; Vue renders them as custom elements (see isCustomElement in demo/vite.config.ts).
import '../../src/define.ts';
import App from './App.vue';
import { closeLoginsOnOutsideClick } from '../shared/logins.ts';

createApp(App).mount('#app');
closeLoginsOnOutsideClick();
