/**
 * Stands in for realtime-js's `WebSocketFactory` in the bundled builds (`dist/parley.js`,
 * `dist/parley.iife.js`), which run only in browsers: its runtime detection, with the messages for
 * Node, Deno, edge and worker runtimes, always finds the browser's `WebSocket` there. The package
 * build keeps the real module, since an app's bundle may run elsewhere.
 */
export const WebSocketFactory = {
  getWebSocketConstructor: (): typeof WebSocket => WebSocket,
  isWebSocketSupported: (): boolean => typeof WebSocket !== 'undefined',
};

export default WebSocketFactory;
