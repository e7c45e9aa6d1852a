import { MySqlContainer } from '@testcontainers/mysql';
import { GenericContainer } from 'testcontainers';
import { InfrastructureError } from '../model/errors.ts';
import { LogTail } from './log-tail.ts';
import { StartedExternalContainer, startFailure } from './started-external-container.ts';
import { ExternalContainerBuilder, waitForListen } from './external-container-builder.ts';

export const MYSQL_PORT = 3306;
const INIT_FILE = '/etc/casebook/mysql-init.sql';
/**
 * Every greeting probe hangs up before logging in, and MySQL counts each such handshake against
 * the client host (all pod traffic arrives SNATed from the kind node's IP). At the default of 100
 * a run whose phases retry for their whole window gets the node blocked (error 1129 instead of a
 * greeting) for every later probe; only a successful login resets the count, and nobody logs in.
 */
export const MAX_CONNECT_ERRORS = 100_000;

/**
 * The server greets before it authenticates, but only clients whose host matches an account:
 * others get error 1130 ("Host … is not allowed") instead of the greeting. Debian's MariaDB has
 * only localhost accounts, so the lab image gets one account for any host.
 */
const MARIADB_INIT_SQL = [
  'CREATE DATABASE IF NOT EXISTS casebook;',
  "CREATE USER IF NOT EXISTS 'casebook'@'%' IDENTIFIED BY 'casebook';",
  "GRANT ALL ON casebook.* TO 'casebook'@'%';",
  '',
].join('\n');

/** Starts Debian's MariaDB from the lab toolbox: initialise the data dir once, then run in the foreground. */
const MARIADB_START = [
  'set -e',
  'mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld',
  '[ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db >/dev/null',
  `exec mariadbd --user=mysql --datadir=/var/lib/mysql --bind-address=0.0.0.0 --port=${MYSQL_PORT} --skip-name-resolve --max-connect-errors=${MAX_CONNECT_ERRORS} --init-file=${INIT_FILE}`,
].join('\n');

export type MysqlFlavour =
  /** Upstream `mysql` image through @testcontainers/mysql. */
  | 'mysql-image'
  /** Debian MariaDB inside the lab toolbox image. */
  | 'toolbox-mariadb';

/**
 * A MySQL server outside the mesh, reached by IP on the Docker network (the victim in
 * EXTERNAL_TCP_UNREACHABLE, scenarios/write-ups.ts, was a MySQL outside the cluster reached by IP). Builder: no Docker I/O
 * until `start()`.
 */
export class ExternalMysqlContainer extends ExternalContainerBuilder {
  private readonly flavour: MysqlFlavour;

  constructor(image: string, flavour: MysqlFlavour) {
    super(image, 120_000);
    this.flavour = flavour;
  }

  async start(): Promise<StartedExternalMysql> {
    const network = this.requireNetwork();
    const logs = new LogTail();
    let container: GenericContainer;
    if (this.flavour === 'mysql-image') {
      // The module's own wait (listening on its exposed 3306) and environment handling apply.
      // The image's entrypoint hands arguments starting with '-' to mysqld.
      container = new MySqlContainer(this.image)
        .withDatabase('casebook')
        .withUsername('casebook')
        .withUserPassword('casebook')
        .withCommand([`--max-connect-errors=${MAX_CONNECT_ERRORS}`]);
    } else {
      container = new GenericContainer(this.image)
        .withCopyContentToContainer([{ content: MARIADB_INIT_SQL, target: INIT_FILE, mode: 0o644 }])
        .withEntrypoint(['sh', '-c'])
        .withCommand([MARIADB_START])
        .withWaitStrategy(waitForListen(MYSQL_PORT));
    }
    container = this.common(container).withLogConsumer(logs.consume);
    try {
      return new StartedExternalMysql(await container.start(), network, logs);
    } catch (err) {
      throw new InfrastructureError(
        startFailure(`external MySQL (image ${this.image})`, err, logs),
        'check the image and the output above; `casebook clean` removes anything left behind',
        { cause: err },
      );
    }
  }
}

export class StartedExternalMysql extends StartedExternalContainer {
  readonly kind = 'mysql';
  readonly port = MYSQL_PORT;
}
