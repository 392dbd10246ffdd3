// Entry point of the TV page, served at /board?token=…
import { mount } from 'svelte';
import App from './App.svelte';
import './global.css';
import { BoardConnection } from './state/board-connection.svelte.js';

const target = document.getElementById('board');
if (!target) throw new Error('#board element missing from index.html');

// The display token is in the URL the practice admin handed out. Without one there is nothing to
// connect to: App shows the "no token" screen.
const token = new URLSearchParams(window.location.search).get('token');
const connection = token ? new BoardConnection(token) : null;

mount(App, { target, props: { connection } });

// Vite's hot reload replaces this module: close the old socket rather than leak it.
import.meta.hot?.dispose(() => connection?.destroy());
