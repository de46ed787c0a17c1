/** This process as a node of a cluster: its settings, and the live change notifications every node hears. */
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/environment';
import type { PostgresConnection } from '../database/postgres-connection';
import { POSTGRES_CONNECTION } from '../reservations/application/tokens';
import { ChangeNotificationListener } from './change-notification-listener';
import { ClusterNodes } from './cluster-nodes';
import { bookingServerIds, CLUSTER_SETTINGS, clusterSettingsOf, type ClusterSettings } from './cluster-settings';

export const CHANGE_NOTIFICATION_LISTENER = Symbol('CHANGE_NOTIFICATION_LISTENER');

const logger = new Logger('Cluster');

@Global()
@Module({
  providers: [
    {
      provide: CLUSTER_SETTINGS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): ClusterSettings => {
        const settings = clusterSettingsOf(config, bookingServerIds(config.BOOKING_SERVERS));
        if (settings.enabled) logger.log(`cluster node "${settings.nodeName}" hosting ${settings.hosted.join(', ')}`);
        return settings;
      },
    },
    {
      provide: CHANGE_NOTIFICATION_LISTENER,
      inject: [CLUSTER_SETTINGS, POSTGRES_CONNECTION],
      useFactory: async (
        settings: ClusterSettings,
        connection: PostgresConnection,
      ): Promise<ChangeNotificationListener | null> => {
        if (!settings.enabled) return null;
        const listener = new ChangeNotificationListener(connection.connectionString, (problem) => logger.warn(problem));
        await listener.start();
        return listener;
      },
    },
    ClusterNodes,
  ],
  exports: [CLUSTER_SETTINGS, CHANGE_NOTIFICATION_LISTENER, ClusterNodes],
})
export class ClusterModule implements OnApplicationShutdown {
  constructor(@Inject(CHANGE_NOTIFICATION_LISTENER) private readonly listener: ChangeNotificationListener | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }
}
