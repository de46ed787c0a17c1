import { describeDriftInversionFlow } from './flows/drift-inversion.flow';

describeDriftInversionFlow('the embedded store (PGlite)', async () => ({
  settings: {},
  dispose: async () => undefined,
}));
