export { createChangeFeed as startChangeFeed } from './changes/index.ts';
