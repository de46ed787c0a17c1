/**
 * The double's implementation of `event_store.client.streams.Streams`:
 * Append (client-streaming) and Read (server-streaming, which also carries
 * subscriptions). Delete, Tombstone and BatchAppend answer UNIMPLEMENTED; the
 * client never calls BatchAppend because ServerFeatures does not list it.
 */
import {
  status,
  type ServerErrorResponse,
  type ServerWritableStream,
  type ServerReadableStream,
  type sendUnaryData,
} from '@grpc/grpc-js';
import type { IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb';
import type { AppendReq, AppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { ExpectedStreamState, InMemoryLog, ProposedEvent } from './in-memory-log';
import { decodeReadRequest, type ReadRequest } from './read-request';
import { belongsTo, selectCatchUp, selectForRead } from './read-selection';
import {
  appendResponseOf,
  caughtUpResponse,
  confirmationResponse,
  eventResponseOf,
  expectedStateOf,
  proposedEventOf,
  streamNameOf,
  streamNotFoundResponseOf,
} from './wire-messages';

export function streamsService(log: InMemoryLog): IStreamsServer {
  return {
    append: (call, callback) => handleAppend(log, call, callback),
    read: (call) => handleRead(log, call),
    delete: (_call, callback) => callback(unimplemented('Delete')),
    tombstone: (_call, callback) => callback(unimplemented('Tombstone')),
    batchAppend: (call) => call.destroy(unimplemented('BatchAppend')),
  };
}

/** The first message carries the options, each following one an event; the write happens at end of stream. */
function handleAppend(
  log: InMemoryLog,
  call: ServerReadableStream<AppendReq, AppendResp>,
  callback: sendUnaryData<AppendResp>,
): void {
  let target: { streamName: string; expected: ExpectedStreamState } | undefined;
  const proposed: ProposedEvent[] = [];
  let failed = false;
  const fail = (error: unknown): void => {
    failed = true;
    callback({ code: status.INVALID_ARGUMENT, details: String(error) });
  };

  call.on('data', (message: AppendReq) => {
    if (failed) return;
    try {
      const options = message.getOptions();
      const event = message.getProposedMessage();
      if (options)
        target = { streamName: streamNameOf(options.getStreamIdentifier()), expected: expectedStateOf(options) };
      else if (event && target) proposed.push(proposedEventOf(event));
      else throw new Error('an Append stream must start with its options');
    } catch (error) {
      fail(error);
    }
  });
  call.on('end', () => {
    if (failed) return;
    if (!target) return fail('Append without options');
    callback(null, appendResponseOf(log.append(target.streamName, target.expected, proposed)));
  });
}

function handleRead(log: InMemoryLog, call: ServerWritableStream<ReadReq, ReadResp>): void {
  let request: ReadRequest;
  try {
    request = decodeReadRequest(call.request);
  } catch (error) {
    call.destroy({ code: status.INVALID_ARGUMENT, details: String(error) } as ServerErrorResponse);
    return;
  }
  if (request.subscription) return subscribe(log, request, call);

  const selection = selectForRead(log, request);
  if (selection.kind === 'stream_not_found') call.write(streamNotFoundResponseOf(selection.streamName));
  else for (const event of selection.events) call.write(eventResponseOf(event));
  call.end();
}

/**
 * Confirmation, catch-up events, caughtUp, then live events until the client
 * cancels. Registering the live listener and taking the catch-up snapshot in
 * the same synchronous turn means no event can fall between the two.
 */
function subscribe(log: InMemoryLog, request: ReadRequest, call: ServerWritableStream<ReadReq, ReadResp>): void {
  const unregister = log.onCommit((committed) => {
    for (const event of committed) {
      if (belongsTo(request.target, event) && request.accepts(event)) call.write(eventResponseOf(event));
    }
  });
  call.on('cancelled', unregister);
  call.on('close', unregister);

  call.write(confirmationResponse());
  for (const event of selectCatchUp(log, request.target, request.accepts)) call.write(eventResponseOf(event));
  call.write(caughtUpResponse());
}

function unimplemented(method: string): ServerErrorResponse {
  return {
    name: 'Unimplemented',
    message: `${method} is not modelled by the EventStoreDB test double`,
    code: status.UNIMPLEMENTED,
  };
}
