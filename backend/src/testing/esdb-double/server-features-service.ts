/**
 * `ServerFeatures.GetSupportedMethods`: the client asks once, before its first
 * append, to choose between Append and BatchAppend. The double either lists
 * what it implements (never `batchappend`) or answers UNIMPLEMENTED, as a
 * server older than 21.10 does; the client accepts both.
 */
import { status } from '@grpc/grpc-js';
import type { IServerFeaturesServer } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';

export type ServerFeaturesMode = 'list' | 'unimplemented';

export const DOUBLE_SERVER_VERSION = '0.0.0-test-double';

const STREAMS_SERVICE = 'event_store.client.streams.streams';
const IMPLEMENTED_METHODS = ['read', 'append'];

export function serverFeaturesService(mode: ServerFeaturesMode): IServerFeaturesServer {
  return {
    getSupportedMethods: (_call, callback) => {
      if (mode === 'unimplemented') {
        callback({ code: status.UNIMPLEMENTED, details: 'ServerFeatures is not available' });
        return;
      }
      const methods = IMPLEMENTED_METHODS.map((name) =>
        new SupportedMethod().setServiceName(STREAMS_SERVICE).setMethodName(name),
      );
      callback(null, new SupportedMethods().setMethodsList(methods).setEventStoreServerVersion(DOUBLE_SERVER_VERSION));
    },
  };
}
