export { StructureModule } from './structure.module';
