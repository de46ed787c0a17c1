import { ForbiddenException, Inject, Injectable, type CanActivate } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/environment';

/** Every simulation endpoint answers 403 when SIMULATION_ENABLED=false. */
@Injectable()
export class SimulationEnabledGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (!this.config.SIMULATION_ENABLED) {
      throw new ForbiddenException('the simulation is disabled on this server (SIMULATION_ENABLED=false)');
    }
    return true;
  }
}
