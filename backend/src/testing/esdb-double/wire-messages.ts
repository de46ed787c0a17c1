/**
 * Translation between the EventStoreDB gRPC messages and the double's storage
 * model. The message classes come from the client package's own generated
 * files: google-protobuf registers classes globally, so a second copy of these
 * definitions would clash with the ones the client under test uses.
 */
import { randomUUID } from 'node:crypto';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { AppendReq, AppendResp, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendOutcome, ExpectedStreamState, ProposedEvent, StoredEvent } from './in-memory-log';

export function streamNameOf(identifier: StreamIdentifier | undefined): string {
  if (!identifier) throw new Error('request without a stream identifier');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

/** Reads a UUID in either of the two wire forms the protocol allows. */
export function uuidText(uuid: UUID | undefined): string {
  if (!uuid) throw new Error('event without an id');
  if (!uuid.hasStructured()) return uuid.getString();
  const structured = uuid.getStructured();
  if (!structured) throw new Error('structured UUID without content');
  const bytes = Buffer.alloc(16);
  bytes.writeBigInt64BE(BigInt(structured.getMostSignificantBits()), 0);
  bytes.writeBigInt64BE(BigInt(structured.getLeastSignificantBits()), 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function expectedStateOf(options: AppendReq.Options): ExpectedStreamState {
  if (options.hasRevision()) return { kind: 'revision', revision: BigInt(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

export function proposedEventOf(message: AppendReq.ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    id: uuidText(message.getId()),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

/**
 * Both outcomes travel as a normal reply; a wrong expected version is the
 * `wrong_expected_version` branch, filled in the current/expected fields the
 * client reads (not the deprecated `*_2060` ones).
 */
export function appendResponseOf(outcome: AppendOutcome): AppendResp {
  const response = new AppendResp();
  if (outcome.kind === 'success') {
    const success = new AppendResp.Success();
    if (outcome.currentRevision === 'no_stream') success.setNoStream(new Empty());
    else success.setCurrentRevision(outcome.currentRevision.toString(10));
    if (outcome.position === undefined) {
      success.setNoPosition(new Empty());
    } else {
      const position = new AppendResp.Position();
      position.setCommitPosition(outcome.position.toString(10));
      position.setPreparePosition(outcome.position.toString(10));
      success.setPosition(position);
    }
    return response.setSuccess(success);
  }

  const wrong = new AppendResp.WrongExpectedVersion();
  if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentRevision(outcome.current.toString(10));
  switch (outcome.expected.kind) {
    case 'any':
      wrong.setExpectedAny(new Empty());
      break;
    case 'no_stream':
      wrong.setExpectedNoStream(new Empty());
      break;
    case 'stream_exists':
      wrong.setExpectedStreamExists(new Empty());
      break;
    case 'revision':
      wrong.setExpectedRevision(outcome.expected.revision.toString(10));
      break;
  }
  return response.setWrongExpectedVersion(wrong);
}

/**
 * One event as a read/subscription reply. `type`, `content-type` and
 * `created` travel in the metadata map; without `content-type` the client
 * hands JSON back as raw bytes.
 */
export function eventResponseOf(event: StoredEvent): ReadResp {
  const id = new UUID();
  id.setString(event.id);
  const identifier = new StreamIdentifier();
  identifier.setStreamName(Buffer.from(event.streamName, 'utf8'));

  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(id);
  recorded.setStreamIdentifier(identifier);
  recorded.setStreamRevision(event.revision.toString(10));
  recorded.setCommitPosition(event.position.toString(10));
  recorded.setPreparePosition(event.position.toString(10));
  recorded.setData(event.data);
  recorded.setCustomMetadata(event.customMetadata);
  const metadata = recorded.getMetadataMap();
  metadata.set('type', event.type);
  metadata.set('content-type', event.contentType);
  metadata.set('created', event.createdTicks.toString(10));

  const readEvent = new ReadResp.ReadEvent();
  readEvent.setEvent(recorded);
  readEvent.setCommitPosition(event.position.toString(10));
  return new ReadResp().setEvent(readEvent);
}

export function streamNotFoundResponseOf(streamName: string): ReadResp {
  const identifier = new StreamIdentifier();
  identifier.setStreamName(Buffer.from(streamName, 'utf8'));
  const notFound = new ReadResp.StreamNotFound();
  notFound.setStreamIdentifier(identifier);
  return new ReadResp().setStreamNotFound(notFound);
}

export function confirmationResponse(): ReadResp {
  const confirmation = new ReadResp.SubscriptionConfirmation();
  confirmation.setSubscriptionId(randomUUID());
  return new ReadResp().setConfirmation(confirmation);
}

export function caughtUpResponse(): ReadResp {
  return new ReadResp().setCaughtUp(new ReadResp.CaughtUp());
}
