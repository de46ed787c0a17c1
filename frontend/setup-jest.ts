// Zoneless like the app itself: change detection runs on signals, never on zone.js.
import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

setupZonelessTestEnv();

// jsdom has no canvas. chart.js copes with a missing context (it draws nothing);
// answering null here just keeps jsdom's "not implemented" noise out of the output.
Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', { value: () => null });
