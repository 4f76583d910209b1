import { render } from 'preact';
import { App } from './App';
import { startPrefetch } from './prefetch';

// For bench/vault: where the popup's own work starts (after the browser has loaded the page and its script).
performance.mark('latchkey-popup-start');
startPrefetch();
render(<App />, document.getElementById('app')!);
