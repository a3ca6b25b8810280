import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// React 19 renders custom elements natively: register the tags and use them as they are.
import '../../src/define.ts';
import { App } from './App.tsx';
import { closeLoginsOnOutsideClick } from '../shared/logins.ts';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing');
createRoot(root).render(<StrictMode><App /></StrictMode>);
closeLoginsOnOutsideClick();
