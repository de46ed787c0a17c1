// Bodies of endpoints being built in parallel on the backend (issue 14: operator
// sign-in), written from the agreed contract.
// Once the backend's OpenAPI spec lists them, replace each with an alias of the
// generated schema in api-types.ts and delete this file.

/** POST /api/auth/token */
export interface TokenRequest {
  username: string;
  password: string;
}

/** 200 from POST /api/auth/token (401 on wrong credentials, 429 with Retry-After when throttled). */
export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  /** Seconds until the token expires. */
  expires_in: number;
  role: 'operator';
}
