// Builds the TV wallboard: `npm run build:wallboard` writes dist/wallboard, which the server serves
// at /board (index.html for `/board?token=…`, assets under /board/assets/). `npm run dev:wallboard`
// serves it with hot reload and proxies the socket to the preview server (dev/preview-server.ts).
//
// The manager pages (manage/staffing.html, manage/growth.html, served at /manage/staffing and
// /manage/growth) are a second build, started when the board's build closes (mode `manage`): one
// multi-page build would move the Svelte runtime and d3-scale into chunks shared with the pages,
// and the board would load more JS. Built apart, the board's bundle stays exactly what it was.
// They go to dist/wallboard/manage/ (HTML) and dist/wallboard/manage/assets/ (URL /manage/assets/).
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build, defineConfig, type AliasOptions, type Plugin, type UserConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** `$contracts/live/board` is server/live/board.contract.ts: the server's contracts and nothing else
 * of it (the same alias as wallboard/tsconfig.json's paths). */
const alias: AliasOptions = [{ find: /^\$contracts\/(.*)$/, replacement: `${fileURLToPath(new URL('../server/', import.meta.url))}$1.contract.ts` }];
const socketTarget = process.env.BOARD_SOCKET_TARGET ?? `http://localhost:${process.env.PORT ?? 5199}`;

const outDir = fileURLToPath(new URL('../dist/wallboard', import.meta.url));
// TV browsers lag behind desktop ones; ask for syntax a few years old rather than Vite's default.
const target = ['chrome87', 'safari14', 'firefox78', 'edge88'];

/** After the board's build: the manager pages' build, into the same dist/wallboard (not emptied). */
function buildManagePages(): Plugin {
  return {
    name: 'lead-wallboard:manage-pages',
    apply: 'build',
    async closeBundle() {
      await build({ configFile: fileURLToPath(import.meta.url), mode: 'manage', logLevel: 'info' });
    },
  };
}

const managePages: UserConfig = {
  root,
  base: '/',
  plugins: [svelte()],
  resolve: { alias },
  build: {
    outDir,
    emptyOutDir: false,
    assetsDir: 'manage/assets',
    target,
    reportCompressedSize: true,
    rolldownOptions: {
      input: {
        staffing: fileURLToPath(new URL('./manage/staffing.html', import.meta.url)),
        growth: fileURLToPath(new URL('./manage/growth.html', import.meta.url)),
        'follow-ups': fileURLToPath(new URL('./manage/follow-ups.html', import.meta.url)),
        reports: fileURLToPath(new URL('./manage/reports.html', import.meta.url)),
        admin: fileURLToPath(new URL('./manage/admin.html', import.meta.url)),
      },
    },
  },
};

export default defineConfig(({ mode }) =>
  mode === 'manage'
    ? managePages
    : {
        root,
        base: '/board/',
        plugins: [svelte(), buildManagePages()],
        resolve: { alias },
        build: {
          outDir,
          emptyOutDir: true,
          target,
          reportCompressedSize: true,
        },
        server: {
          // The manager pages in dev: /board/manage/staffing.html, their API calls proxied too.
          proxy: { '/socket.io': { target: socketTarget, ws: true }, '/api': { target: socketTarget } },
        },
      },
);
