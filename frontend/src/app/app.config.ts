import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { routes } from './app.routes';
import { operatorAuthInterceptor } from './core/auth/operator-auth.interceptor';

// No chart provider here: chart.js loads with the NTP screen alone (its lazy route provides it).
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideHttpClient(withFetch(), withInterceptors([operatorAuthInterceptor])),
    provideRouter(routes, withComponentInputBinding()),
  ],
};
