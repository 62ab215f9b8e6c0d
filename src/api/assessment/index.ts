export * from './assessment.module';
