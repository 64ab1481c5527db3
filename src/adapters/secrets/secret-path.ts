/** Secret locations from a path template such as `platon/rds/{instance}/{database}/{user}`. */

export interface SecretPathValues {
  readonly instance: string;
  readonly database: string;
  readonly user: 'rw' | 'ro';
}

/**
 * Pure. Every placeholder must be known, and every value a single safe path segment: a value like
 * `../x` must never move a secret somewhere else (a file path, or another team's Vault path).
 */
export function fillSecretPath(template: string, values: SecretPathValues): string {
  return template.replace(/\{([^}]*)\}/g, (_, name: string) => {
    if (!Object.hasOwn(values, name)) throw new Error(`unknown placeholder {${name}} in secret path template ${template}`);
    const value = values[name as keyof SecretPathValues];
    if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(value)) {
      throw new Error(`cannot put ${JSON.stringify(value)} into a secret path`);
    }
    return value;
  });
}
