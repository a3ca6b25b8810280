export { createChangeFeed, type ChangeFeedOptions } from './feed.ts';
