// Entry of /manage/reports (wallboard/manage/reports.html): the leadership and manager reports.
import { mount } from 'svelte';
import ReportsApp from './ReportsApp.svelte';
import '../manage.css';
import './reports.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app element missing from reports.html');
mount(ReportsApp, { target });
