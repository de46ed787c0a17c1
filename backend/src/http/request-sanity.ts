/**
 * Requests refused before routing or validation, with a 400 that says why
 * (issue 13.7): a NUL anywhere in the URL (PostgreSQL text cannot hold one, so
 * it reached the database as a 500), and JSON nested deeper than any body of
 * this API (the validator recursed until the stack overflowed).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** No request body of this API nests more than a few levels; 32 leaves room and keeps recursion shallow. */
export const MAX_JSON_DEPTH = 32;

const NUL_IN_URL = /%00|\u0000/i;

const badRequest = (reply: FastifyReply, message: string) =>
  reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: [message] });

export const refuseNulInUrl = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
  if (NUL_IN_URL.test(request.raw.url ?? '')) {
    await badRequest(reply, 'the URL contains a NUL character (%00), which no path or parameter may hold');
  }
};

/** Depth of a parsed JSON value, measured without recursion (so a hostile body cannot overflow the stack). */
export const jsonDepth = (value: unknown): number => {
  let deepest = 0;
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(current as Record<string, unknown>)) pending.push({ value: child, depth: level });
  }
  return deepest;
};

export const refuseDeepJson = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
  if (request.body !== undefined && jsonDepth(request.body) > MAX_JSON_DEPTH) {
    await badRequest(reply, `the JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
};
