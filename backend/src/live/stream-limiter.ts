/**
 * Caps on open live streams, over all clients and per client (by remote
 * address), so a flood of streams cannot take the process's memory and
 * sockets. Beyond a cap a new stream is refused at once with a message
 * saying which cap and what to do; streams already open are never cut.
 */
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/environment';

/** How long a refused client should wait before trying again. */
export const RETRY_AFTER_S = 5;

export class TooManyStreamsError extends HttpException {
  constructor(message: string, status: HttpStatus.TOO_MANY_REQUESTS | HttpStatus.SERVICE_UNAVAILABLE) {
    super({ statusCode: status, message }, status);
  }
}

@Injectable()
export class StreamLimiter {
  private open = 0;
  private readonly openByClient = new Map<string, number>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get openStreams(): number {
    return this.open;
  }

  /** Counts a new stream for `client`, or throws; call the returned function once when it ends. */
  acquire(client: string): () => void {
    const ofClient = this.openByClient.get(client) ?? 0;
    if (ofClient >= this.config.SSE_MAX_STREAMS_PER_CLIENT) {
      throw new TooManyStreamsError(
        `this client already has ${ofClient} live streams open (SSE_MAX_STREAMS_PER_CLIENT=${this.config.SSE_MAX_STREAMS_PER_CLIENT}); close one, or retry in ${RETRY_AFTER_S} s`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    if (this.open >= this.config.SSE_MAX_STREAMS) {
      throw new TooManyStreamsError(
        `the server has ${this.open} live streams open, its limit (SSE_MAX_STREAMS=${this.config.SSE_MAX_STREAMS}); retry in ${RETRY_AFTER_S} s`,
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    this.open += 1;
    this.openByClient.set(client, ofClient + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open -= 1;
      const left = (this.openByClient.get(client) ?? 1) - 1;
      if (left > 0) this.openByClient.set(client, left);
      else this.openByClient.delete(client);
    };
  }
}
