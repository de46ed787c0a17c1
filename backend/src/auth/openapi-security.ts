/**
 * Writes ACCESS_POLICY into the OpenAPI document, so the spec and the guard
 * read the same table: a bearer scheme, and on each operator route its
 * security requirement and the 401/403 answers.
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import { operatorRoutes, toOpenApiPath } from './access-policy';

export const BEARER_SCHEME = 'operator';

export const documentAccessPolicy = (document: OpenAPIObject): OpenAPIObject => {
  document.components ??= {};
  document.components.securitySchemes = {
    ...document.components.securitySchemes,
    [BEARER_SCHEME]: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'Operator token from POST /api/auth/token',
    },
  };
  for (const { method, path } of operatorRoutes()) {
    const operation = document.paths[toOpenApiPath(path)]?.[method.toLowerCase() as 'post' | 'put'];
    if (!operation) continue; // a route in the policy that this build does not have (yet)
    operation.security = [{ [BEARER_SCHEME]: [] }];
    operation.responses = {
      ...operation.responses,
      '401': { description: 'No operator token, or an invalid or expired one' },
      '403': { description: 'The token does not carry the operator role' },
    };
    operation.description = [operation.description, 'Operator only.'].filter(Boolean).join(' ');
  }
  return document;
};
