import { rm } from 'node:fs/promises';
import http from 'node:http';
import type pg from 'pg';
import type { AddressInfo } from 'node:net';
import { refuseAuthInput } from './auth/request.ts';
import { createAuthRateLimits } from './auth/rate-limit.ts';
import { createAuthService, openAuthRoute } from './auth/service.ts';
import { startDatabase } from './database.ts';
import type { StackContext } from './http/context.ts';
import { createGateway } from './http/gateway.ts';
import { createApiKeys, type ApiKeys } from './keys.ts';
import { createMailCatcher } from './mail/catcher.ts';
import { createCatcherHttp } from './mail/catcher-http.ts';
import { createMailer } from './mail/mailer.ts';
import { migrate, type MigrationResult } from './migrate.ts';
import { resolveOptions, type LocalStackOptions } from './options.ts';
import { createChangeFeed } from './realtime/changes/index.ts';
import { createRealtimeService, type RealtimeService } from './realtime/service.ts';
import { refuseRestInput } from './rest/input.ts';
import { createRestService } from './rest/service.ts';
import { refuseStorageInput } from './storage/errors.ts';
import { createStorageService } from './storage/service.ts';

export type { LocalStackOptions } from './options.ts';
export { LocalStackOptionError } from './options.ts';
export type { ApiKeys } from './keys.ts';

export interface LocalStack {
  /** The HTTP server, not yet listening: `listen()` or pass it to a test harness. */
  readonly server: http.Server;
  readonly keys: ApiKeys;
  /** Superuser connection string of the database behind the stack. */
  readonly databaseUrl: string;
  readonly migrations: MigrationResult;
  /**
   * The mail catcher: every mail Auth sends (unless `smtpUrl` points elsewhere) lands there over
   * SMTP, and `<API URL>/mail/` lists it (JSON at `/mail/api/messages?to=`).
   */
  readonly mail: { readonly smtpUrl: string };
  /** Realtime internals tests and benchmarks may wait on or count. */
  readonly realtime: {
    /** Resolves once every change committed before the call has reached subscribers. */
    flush(): Promise<void>;
    stats(): ReturnType<RealtimeService['stats']>;
  };
  /** Listens on 127.0.0.1 (port 0 picks a free one) and resolves to the API URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops serving, closes database connections and stops an embedded cluster cleanly. */
  close(): Promise<void>;
}

/**
 * A Docker-free stand-in for a Supabase project: PostgreSQL with the platform schema and this
 * repository's migrations, and one HTTP server with /auth/v1, /rest/v1, /realtime/v1 and /storage/v1.
 */
export async function createLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const resolved = resolveOptions(options);
  const log = resolved.log;
  if (resolved.reset && !resolved.databaseUrl) await rm(resolved.dataDir, { recursive: true, force: true });
  // The bytes go with the rows: a fresh database starts with no files.
  if (resolved.reset) await rm(resolved.storageDir, { recursive: true, force: true });

  const database = await startDatabase({
    databaseUrl: resolved.databaseUrl,
    dataDir: resolved.dataDir,
    port: resolved.databasePort,
    ephemeral: resolved.ephemeral,
    fsync: resolved.fsync,
    log,
  });
  let stopMail: (() => Promise<void>) | undefined;
  try {
    if (resolved.reset && resolved.databaseUrl) await wipeSchemas(database.pool);
    const migrations = await migrate(database.pool, {
      migrationsDir: resolved.migrationsDir,
      seedFile: resolved.seedFile,
      log,
    });
    const keys = await createApiKeys(resolved.jwtSecret);
    const catcher = createMailCatcher({ maxMessages: resolved.mailCatcherSize });
    const catcherSmtpUrl = await catcher.listen(resolved.smtpPort);
    const mailer = createMailer(resolved.smtpUrl ?? catcherSmtpUrl, resolved.mailFrom);
    const authLimits = createAuthRateLimits(resolved.authRateLimits, resolved.authRateLimitClock);
    // The issuer names the URL the stack answers on, known only once it listens.
    const settings = {
      jwtExpirySeconds: resolved.jwtExpirySeconds,
      refreshTokenReuseIntervalSeconds: resolved.refreshTokenReuseIntervalSeconds,
      anonymousSignIns: resolved.anonymousSignIns,
      issuer: 'http://127.0.0.1:54321/auth/v1',
    };
    const mail = {
      settings: {
        siteUrl: resolved.siteUrl,
        redirectUrls: resolved.redirectUrls,
        confirmations: resolved.emailConfirmations,
        secureEmailChange: resolved.secureEmailChange,
        otpExpirySeconds: resolved.otpExpirySeconds,
        maxFrequencySeconds: resolved.emailMaxFrequencySeconds,
      },
      mailer,
      takeQuota: () => authLimits.takeEmail(),
    };
    const context: StackContext = { pool: database.pool, keys, log, settings, mail };
    const closeMail = async () => {
      mailer.close();
      await catcher.close();
    };
    stopMail = closeMail;
    const rest = await createRestService(context, database.url);
    // The feed starts first (the realtime service needs it) and reaches the service through this.
    const route: { realtime?: RealtimeService } = {};
    const feed = await createChangeFeed({
      pool: database.pool,
      databaseUrl: database.url,
      log,
      onBroadcast: (message) => route.realtime?.deliverDatabaseBroadcast(message),
    });
    const realtime = createRealtimeService(context, { feed });
    route.realtime = realtime;
    const gateway = createGateway(keys, {
      '/auth/v1': {
        handle: createAuthService(context, authLimits),
        refuse: refuseAuthInput,
        open: openAuthRoute,
      },
      '/mail': { handle: createCatcherHttp(catcher), open: () => true },
      '/rest/v1': { handle: rest.handle, refuse: refuseRestInput },
      '/realtime/v1': { handle: realtime.handleHttp },
      // Storage has no key check at the gateway: public and signed URLs work without an apikey.
      '/storage/v1': {
        handle: createStorageService(context, { root: resolved.storageDir, fileSizeLimit: resolved.storageFileSizeLimit }),
        refuse: refuseStorageInput,
        open: () => true,
      },
    }, log);
    const server = http.createServer((req, res) => void gateway.handle(req, res));
    server.on('clientError', (error, socket) => gateway.clientError(error, socket));
    server.keepAliveTimeout = 5_000;
    server.on('upgrade', (req, socket, head) => {
      if ((req.url ?? '').startsWith('/realtime/v1/')) realtime.handleUpgrade(req, socket, head);
      else socket.destroy();
    });

    let closing: Promise<void> | undefined;
    return {
      server,
      keys,
      databaseUrl: database.url,
      migrations,
      mail: { smtpUrl: catcherSmtpUrl },
      realtime: { flush: () => feed.flush(), stats: () => realtime.stats() },
      listen(port = 0, host = '127.0.0.1') {
        return new Promise((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, host, () => {
            server.off('error', reject);
            const address = server.address() as AddressInfo;
            const url = `http://${host}:${address.port}`;
            settings.issuer = `${url}/auth/v1`;
            resolve(url);
          });
        });
      },
      close() {
        closing ??= (async () => {
          await realtime.close();
          if (server.listening) {
            const closed = new Promise<void>((resolve) => server.close(() => resolve()));
            server.closeAllConnections();
            await closed;
          }
          await feed.close();
          await rest.close();
          await closeMail();
          await database.stop();
          if (resolved.ephemeral) await rm(resolved.storageDir, { recursive: true, force: true });
        })();
        return closing;
      },
    };
  } catch (error) {
    await stopMail?.();
    await database.stop();
    throw error;
  }
}

/** `reset` on an existing server: drop what the bootstrap and migrations created. */
async function wipeSchemas(pool: pg.Pool): Promise<void> {
  await pool.query(`
    drop publication if exists supabase_realtime;
    drop publication if exists supabase_realtime_messages_publication;
    drop schema if exists public, auth, realtime, storage, extensions, supabase_migrations, private cascade;
    create schema public;
    grant usage on schema public to public;
  `);
}
