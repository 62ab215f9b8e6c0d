export { CommandAnswer, toCommandAnswer } from './command-answer';
export { ApiCommandHeaders, CommandCtx, commandContextFrom, RegistreCommand } from './command-context';
export { CommandExecutor } from './command-executor';
export { MinPositionQuery, ReadsProjections, ReadYourWritesInterceptor } from './read-your-writes';
export { Reads } from './reads';
export { REGISTRE_PROJECTIONS } from '../../projections/registre-projections';
export { CONFIG, EVENT_STORE, LOGGER, PROJECTION_RUNNER, READ_DB, READ_POOL } from './tokens';
