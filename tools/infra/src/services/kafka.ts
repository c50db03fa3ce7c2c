import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStreamClient } from '@rta/stream-io';
import { ensureDistribution } from '../distributions';
import { InfraError } from '../errors';
import { findJava } from '../java';
import { copyDependencies } from '../maven';
import { WORKSPACE_ROOT } from '../paths';
import { giveTo } from '../service-user';
import { parseHostPort, ServiceContext, ServiceSpec } from './types';

const KAFKA_VERSION = process.env['RTA_KAFKA_VERSION'] || '4.1.1';
const RUNTIME_POM = join(WORKSPACE_ROOT, 'tools', 'infra', 'maven', 'kafka-runtime.pom.xml');

/** Kafka in KRaft mode: one JVM as broker and controller, the controller on the next port up. */
export function kafkaService(broker: string): ServiceSpec {
  const { host, port } = parseHostPort(broker);
  return {
    name: 'kafka',
    host,
    port,
    url: `${host}:${port}`,
    stopSignal: 'SIGTERM',
    startTimeoutMs: 90_000,
    async prepare(ctx) {
      const java = findJava('kafka', 17, ['KAFKA_JAVA_HOME']);
      const classpath = join(await ensureKafkaDistribution(ctx), 'libs', '*');
      writeConfig(ctx, host, port);
      if (!existsSync(join(ctx.dirs.data, 'meta.properties'))) format(ctx, java.java, classpath);
      return { command: java.java, args: brokerArgs(ctx, classpath), cwd: ctx.dirs.run };
    },
    isHealthy: () => brokerAnswers(`${host}:${port}`),
    logFile: (dirs) => join(dirs.logs, 'server.log'),
  };
}

/** Kafka's jars (libs/ only: the broker is started as a plain JVM, no scripts); cached. */
async function ensureKafkaDistribution(ctx: ServiceContext): Promise<string> {
  return ensureDistribution(`kafka_2.13-${KAFKA_VERSION}`, async (dir) => {
    ctx.progress(
      `fetching org.apache.kafka:kafka_2.13:${KAFKA_VERSION} and its dependencies (Maven)`,
    );
    await copyDependencies('kafka', RUNTIME_POM, join(dir, 'libs'), {
      'kafka.version': KAFKA_VERSION,
    });
  });
}

/** The broker's JVM: its options, where it logs, then kafka.Kafka on the written config. */
function brokerArgs(ctx: ServiceContext, classpath: string): string[] {
  return [
    ...[
      '-Xms256m',
      '-Xmx1g',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
    ],
    `-Dkafka.logs.dir=${ctx.dirs.logs}`,
    `-Dlog4j2.configurationFile=${join(ctx.dirs.conf, 'log4j2.xml')}`,
    ...['-cp', classpath, 'kafka.Kafka', join(ctx.dirs.conf, 'server.properties')],
  ];
}

function writeConfig(ctx: ServiceContext, host: string, port: number): void {
  const controller = `${host}:${port + 1}`;
  const properties = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@${controller}`,
    listeners: `PLAINTEXT://${host}:${port},CONTROLLER://${controller}`,
    'advertised.listeners': `PLAINTEXT://${host}:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': ctx.dirs.data,
    // The apps create their topics with the partition counts they need.
    'auto.create.topics.enable': 'false',
    'num.partitions': '3',
    // One broker: internal topics must fit on it, or group coordinators are never found.
    'offsets.topic.replication.factor': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    'group.initial.rebalance.delay.ms': '0',
    'num.network.threads': '2',
    'num.io.threads': '4',
  };
  mkdirSync(ctx.dirs.conf, { recursive: true });
  const text = Object.entries(properties)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  writeFileSync(
    join(ctx.dirs.conf, 'server.properties'),
    `# Written by tools/infra; edits are overwritten.\n${text}\n`,
  );
  writeFileSync(join(ctx.dirs.conf, 'log4j2.xml'), LOG4J2_XML);
}

/** First start only: KRaft needs its metadata log formatted with a cluster id. */
function format(ctx: ServiceContext, java: string, classpath: string): void {
  ctx.progress('formatting the KRaft metadata log (first start)');
  giveTo(ctx.user, ctx.dirs.root);
  const clusterId = kafkaUuid();
  const config = join(ctx.dirs.conf, 'server.properties');
  const args = [
    '-cp',
    classpath,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    config,
  ];
  const result = spawnSync(java, args, {
    encoding: 'utf8',
    ...(ctx.user ? { uid: ctx.user.uid, gid: ctx.user.gid } : {}),
  });
  if (result.status !== 0) {
    throw new InfraError('SETUP_FAILED', 'kafka', 'formatting the storage directory failed', {
      hint: `remove ${ctx.dirs.data} if it holds data from another Kafka version, then run up again`,
      logTail: `${result.stdout}\n${result.stderr}`.trim(),
      logFile: 'kafka-storage format',
    });
  }
}

/** A Kafka `Uuid` string: 16 random bytes, URL-safe base64, never starting with '-' (CLI-safe). */
function kafkaUuid(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function brokerAnswers(broker: string): Promise<boolean> {
  // Polled while the broker starts: one quick attempt each, silent about the ones that fail.
  const admin = createStreamClient({
    clientId: 'rta-infra-health',
    brokers: [broker],
    logLevel: 'silent',
    connectTimeoutMs: 1_000,
    retries: 0,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokerIds.length > 0 && cluster.controllerId !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

const LOG4J2_XML = `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by tools/infra; edits are overwritten. -->
<Configuration status="WARN">
  <Appenders>
    <RollingFile name="server" fileName="\${sys:kafka.logs.dir}/server.log"
                 filePattern="\${sys:kafka.logs.dir}/server.log.%i">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <SizeBasedTriggeringPolicy size="50 MB"/>
      <DefaultRolloverStrategy max="3"/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
    <Root level="INFO"><AppenderRef ref="server"/></Root>
  </Loggers>
</Configuration>
`;
