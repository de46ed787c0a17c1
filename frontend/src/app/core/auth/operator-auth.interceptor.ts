import { HttpErrorResponse, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { OperatorSession } from './operator-session';

const TOKEN_PATH = '/api/auth/token';

/** What the operator was doing, for the sign-in dialog. */
export function actionOf(request: HttpRequest<unknown>): string {
  const path = request.url.replace(/^https?:\/\/[^/]+/, '');
  if (path.startsWith('/api/simulation/scenarios')) return 'Applying a scenario';
  if (path.startsWith('/api/simulation/offsets') || path.startsWith('/api/time/sync')) return 'Changing clocks';
  if (path.startsWith('/api/simulation/runs')) return 'Starting a seeded run';
  if (path.startsWith('/api/replay')) return 'Rebuilding the read model';
  if (path.startsWith('/api/lab/reset')) return 'Resetting the lab';
  return 'This change';
}

/**
 * Sends the operator's token with every API call, and turns a refusal of a
 * change (401, or 403 while signed out) into a sign-in: once signed in, the
 * same request goes again, so nothing the operator typed or clicked is lost.
 */
export const operatorAuthInterceptor: HttpInterceptorFn = (request, next) => {
  if (request.url.endsWith(TOKEN_PATH)) return next(request);
  const session = inject(OperatorSession);
  const withToken = () => {
    const token = session.bearer();
    return token ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request;
  };
  const sentWithToken = session.signedIn();
  return next(withToken()).pipe(
    catchError((error: unknown) => {
      const refused =
        error instanceof HttpErrorResponse &&
        request.method !== 'GET' &&
        (error.status === 401 || (error.status === 403 && !sentWithToken));
      if (!refused) return throwError(() => error);
      if (sentWithToken) session.forget();
      return from(session.requestSignIn(`${actionOf(request)} is for the operator.`, sentWithToken)).pipe(
        switchMap((signedIn) => (signedIn ? next(withToken()) : throwError(() => error))),
      );
    }),
  );
};
