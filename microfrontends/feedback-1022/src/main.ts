import App from './App.svelte';
import { moduleLifecycles } from '@itmap/kit';

export const { bootstrap, mount, update, unmount } = moduleLifecycles(App, { name: "feedback-1022", url: import.meta.url });
