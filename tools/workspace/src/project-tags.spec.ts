import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');

/** Every project carries one type tag and one scope tag, or the lint matrix cannot hold it. */
describe('project tags', () => {
  const projects = ['apps', 'libs', 'tools']
    .filter((folder) => existsSync(join(root, folder)))
    .flatMap((folder) => readdirSync(join(root, folder)).map((name) => join(folder, name)))
    .filter((dir) => existsSync(join(root, dir, 'project.json')))
    .map((dir) => ({
      dir,
      json: JSON.parse(readFileSync(join(root, dir, 'project.json'), 'utf8')) as {
        tags?: string[];
      },
    }));

  it('finds the projects', () => {
    expect(projects.map((p) => p.dir)).toEqual(
      expect.arrayContaining(['libs/windowing', 'libs/service-config', 'tools/infra']),
    );
  });

  it.each(['type', 'scope'])('each project has exactly one %s: tag', (kind) => {
    for (const { dir, json } of projects) {
      const tags = (json.tags ?? []).filter((t) => t.startsWith(`${kind}:`));
      expect({ dir, tags: tags.length }).toEqual({ dir, tags: 1 });
    }
  });
});
