/** Background probes of a running backend: health endpoints polled, and one live-stream client. */

export interface ProbeResult {
  readonly path: string;
  /** 0 when no answer came. */
  readonly status: number;
  readonly atMs: number;
}

export interface Probes {
  readonly results: readonly ProbeResult[];
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const startHealthProbes = (baseUrl: string, paths: readonly string[], everyMs = 100): Probes => {
  const results: ProbeResult[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      await Promise.all(
        paths.map(async (path) => {
          const status = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(5000) })
            .then(async (response) => {
              await response.arrayBuffer();
              return response.status;
            })
            .catch(() => 0);
          results.push({ path, status, atMs: Date.now() });
        }),
      );
      await sleep(everyMs);
    }
  })();
  return {
    results,
    stop: async () => {
      running = false;
      await loop;
    },
  };
};

export interface LiveStreamClient {
  /** Event names received (`change`, `lag`, `reset`, …) with when they arrived. */
  readonly received: readonly { readonly event: string; readonly atMs: number }[];
  /** Set when the stream ended or failed. */
  ended(): string | null;
  close(): void;
}

/** One SSE client reading /api/events/stream and noting each event's name. */
export const openLiveStream = async (baseUrl: string): Promise<LiveStreamClient> => {
  const received: { event: string; atMs: number }[] = [];
  const abort = new AbortController();
  let endReason: string | null = null;
  const response = await fetch(`${baseUrl}/api/events/stream`, { signal: abort.signal });
  if (!response.ok || !response.body) throw new Error(`live stream answered ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buffered = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        let boundary = buffered.indexOf('\n\n');
        while (boundary >= 0) {
          const block = buffered.slice(0, boundary);
          buffered = buffered.slice(boundary + 2);
          const name = /^event: ?(.*)$/m.exec(block)?.[1];
          if (name) received.push({ event: name, atMs: Date.now() });
          boundary = buffered.indexOf('\n\n');
        }
      }
      endReason = 'ended by the server';
    } catch (error) {
      endReason = abort.signal.aborted ? 'closed' : `failed: ${String(error)}`;
    }
  })();
  return { received, ended: () => endReason, close: () => abort.abort() };
};
