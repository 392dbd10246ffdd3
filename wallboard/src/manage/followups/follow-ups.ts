// Entry of /manage/follow-ups (wallboard/manage/follow-ups.html): the front desk's follow-up queue.
import { mount } from 'svelte';
import FollowUpsApp from './FollowUpsApp.svelte';
import '../manage.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app element missing from follow-ups.html');
mount(FollowUpsApp, { target });
