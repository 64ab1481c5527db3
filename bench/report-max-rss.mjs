// Preloaded (`node --import`) into a benchmarked process: at exit, writes its peak resident memory
// in KiB (getrusage's ru_maxrss, as /usr/bin/time -f %M shows it) to fd 3, a pipe the bench opens.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    writeSync(3, String(process.resourceUsage().maxRSS));
  } catch {
    // No fd 3: run by hand, not by the bench.
  }
});
