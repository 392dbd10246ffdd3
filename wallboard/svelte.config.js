// Read by @sveltejs/vite-plugin-svelte. Runes mode everywhere: no legacy `export let` / `$:`.
// TypeScript in components is type annotations only, which Svelte 5 strips natively (no preprocess).
/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  compilerOptions: { runes: true },
};
