import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { accessLogPathFor, RegistreConfig } from '../../config';
import type { Logger } from '../../logger';
import { CONFIG, LOGGER } from '../core/tokens';
import { AccessLog } from './access-log';
import { AccessLogInterceptor } from './access-log.interceptor';
import { PersonalDataReader } from './personal-data';
import { PrivacyController } from './privacy.controller';
import { ACCESS_LOG } from './tokens';

/** Writes the reads still waiting once the last request is answered. */
@Injectable()
class AccessLogLifecycle implements OnApplicationShutdown {
  constructor(@Inject(ACCESS_LOG) private readonly log: AccessLog) {}

  onApplicationShutdown(): void {
    this.log.close();
  }
}

/** The data-protection officer's tools: the access log (and the interceptor that fills it) and the right of access. */
@Module({
  controllers: [PrivacyController],
  providers: [
    {
      provide: ACCESS_LOG,
      inject: [CONFIG, LOGGER],
      useFactory: (config: RegistreConfig, logger: Logger) =>
        AccessLog.open({
          path: config.accessLogPath ?? accessLogPathFor(config.dbPath),
          logger: logger.child({ component: 'access-log' }),
        }),
    },
    { provide: APP_INTERCEPTOR, useClass: AccessLogInterceptor },
    AccessLogLifecycle,
    PersonalDataReader,
  ],
})
export class PrivacyModule {}
