export * from './council.module';
