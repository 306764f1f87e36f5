#!/usr/bin/env bash
# Make sure a MariaDB/MySQL server answers on 127.0.0.1:3306 and has the test user of
# sandbox/settings/test_mysql.py. Installs and starts MariaDB when it is missing (Debian, as root).
# Idempotent: safe to run before every `make test-mysql`.
set -euo pipefail

DB_USER="${COMMERCE_TEST_MYSQL_USER:-commerce_plugin}"
DB_PASSWORD="${COMMERCE_TEST_MYSQL_PASSWORD:-commerce_plugin}"
DB_NAME="${COMMERCE_TEST_MYSQL_DB:-commerce_plugin}"
HOST="${COMMERCE_TEST_MYSQL_HOST:-127.0.0.1}"

if [ "$HOST" != "127.0.0.1" ] && [ "$HOST" != "localhost" ]; then
  echo "mysql-setup: using the server at $HOST as configured; not managing it." >&2
  exit 0
fi

alive() { mariadb-admin --protocol=tcp -h127.0.0.1 -uroot ping --silent >/dev/null 2>&1 \
          || mariadb-admin ping --silent >/dev/null 2>&1; }

if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
  echo "mysql-setup: installing MariaDB (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends mariadb-server mariadb-client >/dev/null
fi

if ! alive; then
  echo "mysql-setup: starting MariaDB..." >&2
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  if [ ! -d /var/lib/mysql/mysql ]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  for _ in $(seq 1 60); do alive && break; sleep 0.5; done
  alive || { echo "mysql-setup: MariaDB did not start" >&2; exit 1; }
fi

# root over the unix socket (Debian's default for OS root), else root over TCP with no password.
run_sql() { mariadb -uroot -e "$1" 2>/dev/null || mariadb --protocol=tcp -h127.0.0.1 -uroot -e "$1"; }
run_sql "CREATE DATABASE IF NOT EXISTS \`${DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '${DB_USER}'@'127.0.0.1' IDENTIFIED BY '${DB_PASSWORD}';
CREATE USER IF NOT EXISTS '${DB_USER}'@'localhost' IDENTIFIED BY '${DB_PASSWORD}';
GRANT ALL PRIVILEGES ON *.* TO '${DB_USER}'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO '${DB_USER}'@'localhost';
FLUSH PRIVILEGES;"
echo "mysql-setup: MariaDB ready for ${DB_USER}@127.0.0.1 (database ${DB_NAME})." >&2
