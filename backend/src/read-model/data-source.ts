import { DataSource } from 'typeorm';
import { READ_MODEL_MIGRATIONS } from './read-model-migrations';

/** The read model's TypeORM data source; migrations, never synchronize. */
export const createReadModelDataSource = (connectionString: string, poolSize = 10): DataSource =>
  new DataSource({
    type: 'postgres',
    url: connectionString,
    migrations: READ_MODEL_MIGRATIONS,
    migrationsTableName: 'read_model_migrations',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5000 },
  });
