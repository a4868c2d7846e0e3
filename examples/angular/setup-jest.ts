// Zoneless TestBed environment (this example has no zone.js): Angular's own scheduler runs
// change detection when a signal or an async pipe marks the view dirty.
import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

setupZonelessTestEnv();
