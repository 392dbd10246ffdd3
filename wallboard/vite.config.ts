// Builds the TV wallboard: `npm run build:wallboard` writes dist/wallboard, which the server serves
// at /board (index.html for `/board?token=…`, assets under /board/assets/). `npm run dev:wallboard`
// serves it with hot reload and proxies the socket to the preview server (dev/preview-server.ts).
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const socketTarget = process.env.BOARD_SOCKET_TARGET ?? `http://localhost:${process.env.PORT ?? 5199}`;

export default defineConfig({
  root,
  base: '/board/',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('../dist/wallboard', import.meta.url)),
    emptyOutDir: true,
    // TV browsers lag behind desktop ones; ask for syntax a few years old rather than Vite's default.
    target: ['chrome87', 'safari14', 'firefox78', 'edge88'],
    reportCompressedSize: true,
  },
  server: {
    proxy: { '/socket.io': { target: socketTarget, ws: true } },
  },
});
