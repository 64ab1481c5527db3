/**
 * What the global setup hands to every test file (`inject(...)`), typed for vitest.
 * Kept in its own module so both sides import the same declaration.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** The RDS-like admin (NOSUPERUSER CREATEDB CREATEROLE, member of rds_superuser). Use this. */
    adminUrl: string;
    /**
     * SIMULATION ONLY: the embedded server's superuser, for the few tests that must do what the
     * admin cannot (read pg_authid, set log_statement for a role). Null with PLATON_DATABASE_URL.
     * Never pass it to the code under test: on RDS nothing has it.
     */
    superuserUrl: string | null;
    /** The embedded server's log file (its stderr); null with PLATON_DATABASE_URL. */
    serverLogFile: string | null;
  }
}

export {};
