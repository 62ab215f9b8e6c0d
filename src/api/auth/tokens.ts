export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
