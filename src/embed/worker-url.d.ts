/** Vite's `?worker&url`: the built worker script's URL (vite.config.ts bundles it as a chunk). */
declare module '*?worker&url' {
  const url: string;
  export default url;
}
