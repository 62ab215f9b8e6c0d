import { DynamicModule, ForwardReference, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AssessmentModule } from './api/assessment';
import { AttendanceModule } from './api/attendance';
import { AuditModule } from './api/audit/audit.module';
import { AuthModule } from './api/auth/auth.module';
import { CouncilModule } from './api/council';
import { CoreModule, CoreResources } from './api/core/core.module';
import { ReadYourWritesInterceptor } from './api/core/read-your-writes';
import { RegistreExceptionFilter } from './api/errors/exception.filter';
import { registreValidationPipe } from './api/errors/validation';
import { HealthModule } from './api/health/health.module';
import { PrivacyModule } from './api/privacy/privacy.module';
import { StructureModule } from './api/structure';
import { ProjectionsApiModule } from './api/projections/projections.module';

export type ModuleImport = Type | DynamicModule | Promise<DynamicModule> | ForwardReference;

/** Every feature module of the service; a slice adds its module here. */
const FEATURE_MODULES: readonly ModuleImport[] = [
  HealthModule,
  ProjectionsApiModule,
  AuditModule,
  StructureModule,
  AttendanceModule,
  AssessmentModule,
  CouncilModule,
  PrivacyModule,
];

@Module({})
export class AppModule {
  static register(resources: CoreResources, extraModules: readonly ModuleImport[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(resources),
        CqrsModule.forRoot(),
        AuthModule,
        ...FEATURE_MODULES,
        ...extraModules,
      ],
      providers: [
        { provide: APP_FILTER, useClass: RegistreExceptionFilter },
        { provide: APP_PIPE, useFactory: registreValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: ReadYourWritesInterceptor },
      ],
    };
  }
}
