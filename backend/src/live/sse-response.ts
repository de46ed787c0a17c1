/**
 * Writes a feed of pre-formatted Server-Sent Events to one raw HTTP
 * response. Not Nest's @Sse() nor an SSE library: they serialize every event
 * for every client, and the change feed's point is to format once and write
 * the same string to all of them (change-feed.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Subscription, type Observable } from 'rxjs';

/** A client that stops reading is dropped once this much waits for it (an EventSource reconnects). */
export const MAX_PENDING_BYTES = 4 * 1024 * 1024;

export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // Proxies such as nginx would otherwise buffer the stream.
  'x-accel-buffering': 'no',
} as const;

/**
 * Streams `chunks` until the client goes; `onEnd` runs exactly once, however
 * it ends. `headers` are those the framework's hooks set already (CORS and
 * the like), which a raw response would otherwise lose.
 */
export const pipeEventStream = (
  request: IncomingMessage,
  response: ServerResponse,
  chunks: Observable<string>,
  onEnd: () => void,
  headers: Readonly<Record<string, string | number | string[] | undefined>> = {},
): void => {
  response.writeHead(200, { ...headers, ...SSE_HEADERS });
  response.flushHeaders();
  let ended = false;
  // Added to once subscribed: an end() during subscribe() (a closed parent) then unsubscribes it at once.
  const subscription = new Subscription();
  const end = (): void => {
    if (ended) return;
    ended = true;
    subscription.unsubscribe();
    onEnd();
    if (!response.writableEnded) response.end();
  };
  subscription.add(
    chunks.subscribe({
      next: (chunk) => {
        if (response.writableLength > MAX_PENDING_BYTES) {
          response.destroy();
          end();
          return;
        }
        response.write(chunk);
      },
      complete: end,
      error: end,
    }),
  );
  request.socket.once('close', end);
  response.once('close', end);
  if (request.socket.destroyed) end();
};
