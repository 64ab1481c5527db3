// Floor of `platon-db --help`: a plain Node script that prints the same text (read from a file).
import { readFileSync } from 'node:fs';

process.stdout.write(readFileSync(process.argv[2], 'utf8'));
