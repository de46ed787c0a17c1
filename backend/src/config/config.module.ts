import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG } from './config.tokens';
import type { AppConfig } from './environment';

/** Provides the one validated configuration object to the whole app. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
