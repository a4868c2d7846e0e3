import { type ApplicationRef, provideBrowserGlobalErrorListeners } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { AppComponent } from './app/app.component';

// Zoneless (Angular's default since v21; no zone.js here): signals and the resource schedule
// change detection themselves.
bootstrapApplication(AppComponent, { providers: [provideBrowserGlobalErrorListeners()] }).then(
  // Handed to the browser test (e2e/), which renders with `appRef.tick()` after each action.
  (appRef) => Object.assign(globalThis, { appRef } satisfies { appRef: ApplicationRef }),
  (error: unknown) => console.error(error),
);
