import type { AllSubscription, HeadWatch } from './event-store.port';

/**
 * watchHead for a store whose server sends the events anyway (EventStoreDB):
 * every event's position is a head, in increasing order.
 */
export const headsOfSubscription = (subscription: AllSubscription): HeadWatch => ({
  unsubscribe: () => subscription.unsubscribe(),
  async *[Symbol.asyncIterator]() {
    for await (const event of subscription) yield event.position;
  },
});
