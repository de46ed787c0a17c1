/** Injection tokens owned by the auth module. */
export const OPERATOR_CREDENTIALS = Symbol('OPERATOR_CREDENTIALS');
export const TOKEN_SIGNER = Symbol('TOKEN_SIGNER');
