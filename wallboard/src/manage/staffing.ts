// Entry of /manage/staffing (wallboard/manage/staffing.html): the "Staffing plan" page.
import { mount } from 'svelte';
import StaffingApp from './StaffingApp.svelte';
import './manage.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app element missing from staffing.html');
mount(StaffingApp, { target });
