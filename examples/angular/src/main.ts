import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { ChannelDemoComponent } from './app/channel-demo.component';

/** The running application (exported so check-aot.mjs can wait for it to be stable). */
export const app = bootstrapApplication(ChannelDemoComponent, {
  providers: [provideZonelessChangeDetection()],
});
app.catch((error: unknown) => console.error(error));
