import type { EnvironmentProviders, Provider } from '@angular/core';
import { provideRouter } from '@angular/router';
import { LabApi } from '../app/core/api/lab-api.service';

type Methods<T> = { [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] };
export type FakeLabApi = { [K in keyof Methods<LabApi>]: jest.Mock };

/** Every LabApi method as a jest mock; by default each answers 404 like a missing endpoint. */
export function fakeLabApi(): FakeLabApi {
  const notFound = () => Promise.reject(new Error('not stubbed'));
  const names: (keyof Methods<LabApi>)[] = [
    'health',
    'seats',
    'seatTimeline',
    'reserve',
    'reservation',
    'conflicts',
    'conflict',
    'stats',
    'startReplay',
    'replay',
    'timeStatus',
    'forceSync',
    'clockHistory',
    'serverClocks',
    'changeServerClock',
    'scenarios',
    'applyScenario',
    'startScenarioRun',
    'scenarioRuns',
    'scenarioRun',
    'issueToken',
    'resetLab',
    'labSessions',
  ];
  return Object.fromEntries(names.map((name) => [name, jest.fn(notFound)])) as FakeLabApi;
}

/** The fake API, and a router so screens with links render. */
export const provideFakeLabApi = (api: FakeLabApi): (Provider | EnvironmentProviders)[] => [
  { provide: LabApi, useValue: api },
  provideRouter([]),
];

/** Lets pending promises and the zoneless scheduler run, then renders. */
export async function settle(
  fixture: { whenStable(): Promise<unknown>; detectChanges(): void },
  rounds = 4,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await fixture.whenStable();
  }
  fixture.detectChanges();
}
