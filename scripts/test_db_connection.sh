#!/usr/bin/env bash
# Tests a connection to a team database on Platon's PostgreSQL, the way an application connects:
# with TLS (sslmode=require) and the password from Vault. Prints the server version, who you are,
# the database size and its tables; on failure, what usually causes it and what to do.
#
#   scripts/test_db_connection.sh <host> <database> <username>
#
# The password: PGPASSWORD, or asked for at the prompt (never on the command line, where other
# users of the machine could see it). Optional: PGPORT (default 5432), PGSSLMODE (default
# require; the local instance of `npm start` has no TLS, so use PGSSLMODE=disable there),
# PGCONNECT_TIMEOUT in seconds (default 10).
#
# Exit codes: 0 connected, 1 could not connect, 2 usage (wrong arguments, psql missing).
set -u

usage() {
  echo "usage: $0 <host> <database> <username>" >&2
  echo "  e.g. $0 shared-pg15.abcdefghijk.eu-north-1.rds.amazonaws.com studentweb studentweb_rw" >&2
  echo "  password from PGPASSWORD or a prompt; PGPORT (5432), PGSSLMODE (require), PGCONNECT_TIMEOUT (10)" >&2
}

if [ "$#" -ne 3 ]; then
  usage
  exit 2
fi
host=$1
database=$2
username=$3
port=${PGPORT:-5432}
sslmode=${PGSSLMODE:-require}
timeout=${PGCONNECT_TIMEOUT:-10}

if ! command -v psql >/dev/null 2>&1; then
  echo "psql is not installed (or not on PATH)." >&2
  echo "  Debian/Ubuntu: sudo apt-get install postgresql-client" >&2
  echo "  macOS (Homebrew): brew install libpq && brew link --force libpq" >&2
  echo "  Windows: install PostgreSQL's command line tools from postgresql.org" >&2
  exit 2
fi

if [ -z "${PGPASSWORD:-}" ]; then
  if [ -t 0 ]; then
    read -r -s -p "Password for ${username}: " PGPASSWORD
    echo
  else
    echo "No password: set PGPASSWORD, or run this in a terminal to be asked for it." >&2
    exit 2
  fi
fi
export PGPASSWORD

# Key=value form: the password never appears in the connection string or the process list.
conninfo="host=${host} port=${port} dbname=${database} user=${username} sslmode=${sslmode} connect_timeout=${timeout} application_name=test_db_connection"
query() {
  local commands=()
  for sql in "$@"; do commands+=(--command "$sql"); done
  psql "$conninfo" --no-psqlrc --quiet --no-align --tuples-only --set ON_ERROR_STOP=1 "${commands[@]}"
}

echo "Connecting to ${host}:${port}, database ${database}, as ${username} (sslmode=${sslmode}) ..."
# A read/write user's sessions act as the owner role (ALTER ROLE d_rw SET role = d_owner), and a
# role sees its own session in pg_stat_ssl only as the user that logged in: so the session user
# and the acting role first, then SET ROLE NONE (back to the session user) for TLS.
if ! info=$(query \
  "SELECT version(), session_user, current_user, current_database(), pg_size_pretty(pg_database_size(current_database()))" \
  "SET ROLE NONE" \
  "SELECT CASE WHEN ssl THEN 'yes (' || version || ', ' || cipher || ')' ELSE 'no' END FROM pg_stat_ssl WHERE pid = pg_backend_pid()" 2>&1); then
  echo "Could not connect." >&2
  echo "  ${info//$'\n'/$'\n'  }" >&2
  echo >&2
  case "$info" in
    *"Connection refused"*)
      echo "The server refused the connection: nothing listens on ${host}:${port}." >&2
      echo "  - Check the host name and port against your credentials (Vault: host, port)." >&2
      echo "  - The instance may be stopped or in maintenance; ask Platon." >&2
      ;;
    *"timeout expired"* | *"timed out"*)
      echo "No answer within ${timeout} s: your network is probably not allowed to reach the instance." >&2
      echo "  - Access is by IP allowlist: connect from the office network or the VPN, or add your" >&2
      echo "    servers' public network to access.external in databases/${database}.yaml (a pull request)." >&2
      echo "  - A firewall on your side may block outgoing port ${port}." >&2
      ;;
    *"password authentication failed"*)
      echo "Wrong password, or wrong user name." >&2
      echo "  - Read the latest version of the secret: vault kv get -field=password secret/platon/rds/<instance>/${database}/<user>" >&2
      echo "  - After a rotation the old password stops working: pick up the new version." >&2
      ;;
    *"not permitted to log in"* | *"permission denied for database"*)
      echo "The user exists but may not connect: the database may be retired, or this is another team's database." >&2
      ;;
    *"does not exist"*)
      echo "The database or the user does not exist on this instance: check both names against your credentials." >&2
      ;;
    *"could not translate host name"* | *"Name or service not known"*)
      echo "The host name does not resolve: check it against your credentials (Vault: host)." >&2
      ;;
    *SSL* | *ssl* | *"no encryption"*)
      echo "A TLS (SSL) problem." >&2
      echo "  - The instance requires TLS: keep sslmode=require (or verify-full with the RDS CA bundle)." >&2
      echo "  - The local instance (npm start) has no TLS: use PGSSLMODE=disable there." >&2
      echo "  - An old client without TLS support: update psql and your driver." >&2
      ;;
    *)
      echo "See the message above; Platon can help (mention the database, user and the time of the test)." >&2
      ;;
  esac
  exit 1
fi

{ IFS='|' read -r version user acting current size; read -r ssl; } <<<"$info"
echo "Connected."
echo "  server:   ${version}"
if [ "$acting" = "$user" ]; then
  echo "  user:     ${user}"
else
  echo "  user:     ${user}, acting as ${acting} (what it creates belongs to ${acting})"
fi
echo "  database: ${current} (${size})"
echo "  TLS:      ${ssl:-unknown}"

tables=$(query "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1" 2>&1) || {
  echo "Connected, but listing the tables failed: ${tables}" >&2
  exit 1
}
if [ -z "$tables" ]; then
  echo "Tables: none yet."
else
  echo "Tables ($(printf '%s\n' "$tables" | wc -l | tr -d ' ')):"
  printf '%s\n' "$tables" | sed 's/^/  /'
fi
