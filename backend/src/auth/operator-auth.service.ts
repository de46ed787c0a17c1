/** Signs the operator in (password → JWT) and checks the tokens that come back. */
import { HttpException, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { JwtService } from '@nestjs/jwt';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/environment';
import { OPERATOR_CREDENTIALS, TOKEN_SIGNER } from './auth.tokens';
import { LoginThrottle } from './login-throttle';
import { OPERATOR_USERNAME, type OperatorCredentials } from './operator-credentials';
import { verifyPassword } from './password-hash';

export const OPERATOR_ROLE = 'operator';
export const TOKEN_ISSUER = 'ntp-reservation-lab';

export interface IssuedToken {
  readonly access_token: string;
  readonly token_type: 'bearer';
  readonly expires_in: number;
  readonly role: typeof OPERATOR_ROLE;
}

export interface TokenClaims {
  readonly sub: string;
  readonly role: string;
}

export class TooManySignInsException extends HttpException {
  constructor(readonly retryAfterS: number) {
    super(`too many wrong passwords; try again in ${retryAfterS} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

@Injectable()
export class OperatorAuth {
  private readonly throttle: LoginThrottle;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OPERATOR_CREDENTIALS) private readonly credentials: OperatorCredentials,
    @Inject(TOKEN_SIGNER) private readonly jwt: JwtService,
  ) {
    this.throttle = new LoginThrottle({
      maxFailures: config.LOGIN_MAX_FAILURES,
      windowMs: config.LOGIN_WINDOW_S * 1000,
    });
  }

  async issueToken(username: string, password: string, client: string): Promise<IssuedToken> {
    const retryAfterS = this.throttle.retryAfterS(client);
    if (retryAfterS !== null) throw new TooManySignInsException(retryAfterS);
    // The password is checked even for a wrong user name, so timing tells nothing about which was wrong.
    const passwordMatches = await verifyPassword(password, this.credentials.passwordHash);
    if (!passwordMatches || username !== OPERATOR_USERNAME) {
      this.throttle.recordFailure(client);
      throw new UnauthorizedException('wrong user name or password');
    }
    this.throttle.recordSuccess(client);
    const expiresInS = this.config.ACCESS_TOKEN_EXPIRE_MINUTES * 60;
    const accessToken = await this.jwt.signAsync({ role: OPERATOR_ROLE } satisfies Omit<TokenClaims, 'sub'>, {
      subject: OPERATOR_USERNAME,
    });
    return { access_token: accessToken, token_type: 'bearer', expires_in: expiresInS, role: OPERATOR_ROLE };
  }

  /** The claims of a valid token; throws UnauthorizedException for anything else (expired, forged, alg none…). */
  async verify(token: string): Promise<TokenClaims> {
    try {
      const claims = await this.jwt.verifyAsync<Partial<TokenClaims>>(token);
      if (typeof claims.sub !== 'string' || typeof claims.role !== 'string') throw new Error('claims missing');
      return { sub: claims.sub, role: claims.role };
    } catch (error) {
      const expired = (error as { name?: string }).name === 'TokenExpiredError';
      throw new UnauthorizedException(
        expired ? 'the operator token has expired; sign in again' : 'invalid operator token',
      );
    }
  }
}
