// Entry of /manage/growth (wallboard/manage/growth.html): the "Growth projection" page.
import { mount } from 'svelte';
import GrowthApp from './GrowthApp.svelte';
import './manage.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app element missing from growth.html');
mount(GrowthApp, { target });
