import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadServiceEndpoints, ServiceConfigError } from '@rta/service-config';
import { composeDown, composeStatus, composeUp } from './docker-backend';
import { InfraError } from './errors';
import { down, serviceLogTail, status, up } from './local-backend';
import { localServices, SERVICE_NAMES, ServiceSpec } from './services';
import {
  configuredElsewhere,
  ConcreteBackend,
  ownEndpointVariables,
  registryHintFor,
} from './own-endpoints';
import { INFRA_HOME, WORKSPACE_ROOT } from './paths';

type Backend = 'local' | 'docker' | 'auto';

const program = new Command('infra')
  .description(
    'Runs the backing services (Kafka, schema registry, Elasticsearch, PostgreSQL) as local processes,\n' +
      `or through infra/compose.yaml with --backend docker (auto: Docker when an engine answers). State lives in ${INFRA_HOME}.`,
  )
  .addOption(
    new Option('--backend <backend>', 'where the services run')
      .choices(['local', 'docker', 'auto'])
      .default(process.env['RTA_INFRA_BACKEND'] || 'local')
      .env('RTA_INFRA_BACKEND'),
  )
  .showHelpAfterError();

const servicesArg = `services to act on (default: all of ${SERVICE_NAMES.join(', ')})`;

program
  .command('up')
  .description(
    'start the services that are not running and wait until each is healthy (idempotent)',
  )
  .argument('[services...]', servicesArg)
  .option(
    '--unless-configured',
    'do nothing when KAFKA_BROKERS, SCHEMA_REGISTRY_URL, ELASTICSEARCH_URL or DATABASE_URL point elsewhere (the main job)',
  )
  .option(
    '--system-deps',
    'before starting local services, check (on Debian as root: install) Maven and a JDK 21+, as `npm test` does',
  )
  .action(
    async (names: string[], options: { unlessConfigured?: boolean; systemDeps?: boolean }) => {
      const chosen = backend();
      const configured = configuredElsewhere(process.env, chosen);
      if (options.unlessConfigured && configured.length > 0) {
        console.log(
          `using the services configured by ${configured.join(', ')}; not starting local ones`,
        );
        return;
      }
      const hint = registryHintFor(process.env, chosen);
      if (hint && !options.unlessConfigured) console.error(`note: ${hint}`); // the main job sets it itself (package.json start)
      if (chosen === 'docker') return composeUp(names);
      if (options.systemDeps) checkSystemDeps();
      await up(select(names));
    },
  );

program
  .command('down')
  .description('stop the services this launcher started (by pid); leaves data in place')
  .argument('[services...]', servicesArg)
  .action(async (names: string[]) =>
    backend() === 'docker' ? composeDown(names) : down(select(names)),
  );

program
  .command('status')
  .description(
    'show each service: healthy, starting, stopped, or port taken by someone else; exit 1 unless all healthy',
  )
  .action(async () => {
    if (backend() === 'docker') return composeStatus();
    const rows = await status(select([]));
    for (const { spec, state, pid } of rows) {
      console.log(
        `${spec.name.padEnd(16)} ${state.padEnd(10)} ${String(pid ?? '-').padEnd(8)} ${spec.url}`,
      );
    }
    if (rows.some((r) => r.state !== 'healthy')) process.exitCode = 1;
  });

program
  .command('logs')
  .description("print the end of a service's log")
  .argument('<service>', SERVICE_NAMES.join(' | '))
  .addOption(
    new Option('-n, --lines <count>', 'how many lines').default(50).argParser(positiveInteger),
  )
  .action((name: string, options: { lines: number }) => {
    const [spec] = select([name]);
    const { file, tail } = serviceLogTail(spec as ServiceSpec, options.lines);
    console.log(`==> ${file} <==\n${tail}`);
  });

program
  .command('env')
  .description('print the env variables the apps and tests read, as shell exports')
  .action(() => {
    const e = loadServiceEndpoints();
    const registry = process.env['SCHEMA_REGISTRY_URL']
      ? e.schemaRegistryUrl
      : (ownEndpointVariables(backend())['SCHEMA_REGISTRY_URL'] as string);
    const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`; // safe for eval in any POSIX shell
    console.log(`export KAFKA_BROKERS=${quote(e.kafkaBrokers.join(','))}`);
    console.log(`export SCHEMA_REGISTRY_URL=${quote(registry)}`);
    console.log(`export ELASTICSEARCH_URL=${quote(e.elasticsearchUrl)}`);
    console.log(`export DATABASE_URL=${quote(e.databaseUrl)}`);
  });

/** tools/ci/system-deps.sh --services: what the local services need, installed where it can be. */
function checkSystemDeps(): void {
  const run = spawnSync(
    'bash',
    [join(WORKSPACE_ROOT, 'tools', 'ci', 'system-deps.sh'), '--services'],
    { stdio: 'inherit' },
  );
  if (run.status !== 0)
    throw new InfraError(
      'SETUP_FAILED',
      'system',
      'a prerequisite of the local services is missing (see above)',
      {
        hint: 'install what it names, or use services elsewhere (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, ELASTICSEARCH_URL, DATABASE_URL)',
      },
    );
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new InvalidArgumentError('expected a positive whole number');
  return value;
}

/** `auto`: Docker compose when a Docker engine answers, else local processes. */
function backend(): ConcreteBackend {
  const chosen = program.opts<{ backend: Backend }>().backend;
  if (chosen !== 'auto') return chosen;
  const docker = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
  const found = docker.status === 0 ? 'docker' : 'local';
  console.error(
    `backend auto: ${found === 'docker' ? 'a Docker engine answers, using infra/compose.yaml' : 'no Docker engine, using local processes'}`,
  );
  return found;
}

function select(names: readonly string[]): ServiceSpec[] {
  const all = localServices(loadServiceEndpoints());
  if (names.length === 0) return all;
  return names.map((name) => {
    const spec = all.find((s) => s.name === name);
    if (spec) return spec;
    throw new InfraError('UNKNOWN_SERVICE', name, 'is not a service of this project', {
      hint: `use one of: ${SERVICE_NAMES.join(', ')}`,
    });
  });
}

function report(error: unknown): void {
  if (error instanceof AggregateError) return error.errors.forEach(report);
  if (error instanceof InfraError) return console.error(error.report());
  if (error instanceof ServiceConfigError) return console.error(`✗ ${error.message}`);
  console.error(error);
}

program.parseAsync().catch((error: unknown) => {
  report(error);
  process.exitCode = 1;
});
