import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import extractZip from 'extract-zip';
import { extract as extractTar } from 'tar';
import { DIST_DIR } from './paths';
import { copyArtifact, MavenArtifact } from './maven';

const COMPLETE_MARKER = '.complete';

/**
 * Returns the folder holding `name`, preparing it with `fill` on first use. A marker written last
 * makes an interrupted preparation start over instead of leaving half a distribution behind.
 */
export async function ensureDistribution(
  name: string,
  fill: (dir: string) => Promise<void>,
): Promise<string> {
  const dir = join(DIST_DIR, name);
  if (existsSync(join(dir, COMPLETE_MARKER))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await fill(dir);
  writeFileSync(join(dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  return dir;
}

/**
 * Fetches an archive through Maven and unpacks it into `dir`, dropping a single top-level folder.
 */
export async function unpackArtifact(
  service: string,
  artifact: MavenArtifact,
  dir: string,
): Promise<void> {
  const downloads = join(DIST_DIR, '.downloads');
  const archive = await copyArtifact(service, artifact, downloads);
  const staging = `${dir}.unpacking`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  if (artifact.type === 'zip') await extractZip(archive, { dir: staging });
  else await extractTar({ file: archive, cwd: staging });
  rmSync(archive, { force: true });
  const entries = readdirSync(staging);
  const root = entries.length === 1 && entries[0] ? join(staging, entries[0]) : staging;
  // Staging sits next to the target, on the same file system, so these renames are cheap.
  for (const entry of readdirSync(root)) renameSync(join(root, entry), join(dir, entry));
  rmSync(staging, { recursive: true, force: true });
}

/** Makes every file in `folder` executable (zip entries may lose their mode). */
export function markExecutable(folder: string): void {
  for (const name of readdirSync(folder)) chmodSync(join(folder, name), 0o755);
}
