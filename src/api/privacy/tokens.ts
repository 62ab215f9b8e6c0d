/** The AccessLog (./access-log.ts) the interceptor records into and the DPO's route reads. */
export const ACCESS_LOG = Symbol('ACCESS_LOG');
