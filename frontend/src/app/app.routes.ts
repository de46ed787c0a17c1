import { Routes } from '@angular/router';

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'seats' },
  {
    path: 'seats',
    title: 'Seats · NTP Lab',
    loadComponent: () => import('./features/seats/seats-page.component').then((m) => m.SeatsPageComponent),
  },
  {
    path: 'conflicts',
    title: 'Conflicts · NTP Lab',
    loadComponent: () => import('./features/conflicts/conflicts-list.component').then((m) => m.ConflictsListComponent),
  },
  {
    path: 'ntp',
    title: 'NTP · NTP Lab',
    loadComponent: () => import('./features/ntp/ntp-dashboard.component').then((m) => m.NtpDashboardComponent),
  },
  {
    path: 'simulation',
    title: 'Simulation · NTP Lab',
    loadComponent: () =>
      import('./features/simulation/simulation-panel.component').then((m) => m.SimulationPanelComponent),
  },
  {
    path: 'runs/:runId',
    title: 'Run · NTP Lab',
    loadComponent: () => import('./features/run-detail/run-detail.component').then((m) => m.RunDetailComponent),
  },
  {
    path: 'stats',
    title: 'Stats · NTP Lab',
    loadComponent: () => import('./features/stats/stats.component').then((m) => m.StatsComponent),
  },
  { path: '**', redirectTo: 'seats' },
];
