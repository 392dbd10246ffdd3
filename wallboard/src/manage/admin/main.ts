// Entry of /manage/admin (wallboard/manage/admin.html): users, staff, TV displays, ingest keys and
// the practice's settings.
import { mount } from 'svelte';
import AdminApp from './AdminApp.svelte';
import '../manage.css';
import './admin.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app element missing from admin.html');
mount(AdminApp, { target });
