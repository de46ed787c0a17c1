import { Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/environment';
import { OPERATOR_CREDENTIALS, TOKEN_SIGNER } from './auth.tokens';
import { AuthController } from './http/auth.controller';
import { OperatorAuth, TOKEN_ISSUER } from './operator-auth.service';
import { resolveOperatorCredentials, type OperatorCredentials } from './operator-credentials';
import { OperatorGuard } from './operator.guard';

const logger = new Logger('Auth');

@Module({
  controllers: [AuthController],
  providers: [
    {
      provide: OPERATOR_CREDENTIALS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => resolveOperatorCredentials(config, (message) => logger.warn(message)),
    },
    {
      provide: TOKEN_SIGNER,
      inject: [APP_CONFIG, OPERATOR_CREDENTIALS],
      useFactory: (config: AppConfig, credentials: OperatorCredentials) =>
        new JwtService({
          secret: credentials.secretKey,
          signOptions: {
            algorithm: config.ALGORITHM,
            expiresIn: config.ACCESS_TOKEN_EXPIRE_MINUTES * 60,
            issuer: TOKEN_ISSUER,
          },
          // One algorithm only: `none`, another HMAC size or an asymmetric algorithm is refused.
          verifyOptions: { algorithms: [config.ALGORITHM], issuer: TOKEN_ISSUER },
        }),
    },
    OperatorAuth,
    { provide: APP_GUARD, useClass: OperatorGuard },
  ],
})
export class AuthModule {}
