import { closeSync, openSync, readSync, statSync } from 'node:fs';

const MAX_TAIL_BYTES = 64 * 1024;

/** The last `lines` lines of a file, or '' when it does not exist. Reads at most 64 KiB. */
export function tailFile(path: string, lines = 25): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = statSync(path).size;
    const length = Math.min(size, MAX_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const all = buffer.toString('utf8').replace(/\s+$/, '').split('\n');
    return all.slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}
