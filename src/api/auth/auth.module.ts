import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RegistreConfig } from '../../config';
import type { Clock } from '../../domain/shared/clock';
import { CLOCK, CONFIG } from '../core/tokens';
import { AuthGuard } from './auth.guard';
import { createTokenVerifier } from './token-verifier';
import { TOKEN_VERIFIER } from './tokens';

@Module({
  providers: [
    {
      provide: TOKEN_VERIFIER,
      inject: [CONFIG, CLOCK],
      useFactory: (config: RegistreConfig, clock: Clock) => createTokenVerifier(config.auth, clock),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AuthModule {}
