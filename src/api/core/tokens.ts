/** Injection tokens of the composition root; every slice injects these, never constructs its own. */
export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_DB = Symbol('READ_DB');
export const PROJECTION_RUNNER = Symbol('PROJECTION_RUNNER');
/** The Clock (src/domain/shared/clock.ts) every slice reads the time from. */
export const CLOCK = Symbol('CLOCK');
/** The ReadPool (src/projections/read-pool) the views' reads run on; slices use `Reads`, which answers 503 for it. */
export const READ_POOL = Symbol('READ_POOL');
