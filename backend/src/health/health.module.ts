import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { StoreProbe } from './store-probe';

@Module({ controllers: [HealthController], providers: [StoreProbe] })
export class HealthModule {}
