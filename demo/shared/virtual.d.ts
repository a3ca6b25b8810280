/** The stack the demo server was started with (demo/vite-plugins.ts, `parleyStack`). */
declare module 'virtual:parley-stack' {
  export const supabaseUrl: string;
  export const supabaseKey: string;
}

/** Vue single-file components, compiled by @vitejs/plugin-vue (tsc does not read them). */
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
