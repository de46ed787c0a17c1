import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/environment';
import type { ReferenceTime } from '../reservations/application/reference-time';
import { BOOKING_SERVER_CLOCKS, REFERENCE_CLOCK } from '../reservations/application/tokens';
import { bookingServerIds, ConstantOffsetClocks } from './application/constant-offset-clocks';

const hostClock: ReferenceTime = { nowMs: () => Date.now() };

@Global()
@Module({
  providers: [
    { provide: REFERENCE_CLOCK, useValue: hostClock },
    {
      provide: BOOKING_SERVER_CLOCKS,
      inject: [APP_CONFIG, REFERENCE_CLOCK],
      useFactory: (config: AppConfig, reference: ReferenceTime) =>
        new ConstantOffsetClocks(reference, new Map(bookingServerIds(config.BOOKING_SERVERS).map((id) => [id, 0]))),
    },
  ],
  exports: [REFERENCE_CLOCK, BOOKING_SERVER_CLOCKS],
})
export class ClocksModule {}
