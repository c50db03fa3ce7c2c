import { type Admin, ConfigResourceTypes, type Kafka } from 'kafkajs';
import type {
  ClusterInfo,
  CommittedOffset,
  PartitionCount,
  PartitionOffsets,
  TopicAdmin,
  TopicSpec,
} from '../admin';
import { classified } from './errors';

/** Topic administration on a kafkajs admin client. */
export class KafkajsAdmin implements TopicAdmin {
  private readonly admin: Admin;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin();
  }

  connect(): Promise<void> {
    return classified(() => this.admin.connect());
  }

  disconnect(): Promise<void> {
    return classified(() => this.admin.disconnect());
  }

  listTopics(): Promise<readonly string[]> {
    return classified(() => this.admin.listTopics());
  }

  async createTopics(specs: readonly TopicSpec[]): Promise<void> {
    const topics = specs.map((s) => ({
      topic: s.topic,
      numPartitions: s.partitions,
      replicationFactor: s.replicationFactor,
    }));
    await classified(() => this.admin.createTopics({ waitForLeaders: true, topics }));
  }

  deleteTopics(topics: readonly string[]): Promise<void> {
    return classified(() => this.admin.deleteTopics({ topics: [...topics] }));
  }

  async partitionCounts(topics: readonly string[]): Promise<readonly PartitionCount[]> {
    const metadata = await classified(() => this.admin.fetchTopicMetadata({ topics: [...topics] }));
    return metadata.topics.map((t) => ({ topic: t.name, partitions: t.partitions.length }));
  }

  async topicOffsets(topic: string): Promise<readonly PartitionOffsets[]> {
    const offsets = await classified(() => this.admin.fetchTopicOffsets(topic));
    return offsets.map(({ partition, low, high }) => ({ partition, low, high }));
  }

  async committedOffsets(groupId: string, topic: string): Promise<readonly CommittedOffset[]> {
    const [found] = await classified(() => this.admin.fetchOffsets({ groupId, topics: [topic] }));
    return (found?.partitions ?? []).map(({ partition, offset }) => ({ partition, offset }));
  }

  async describeCluster(): Promise<ClusterInfo> {
    const cluster = await classified(() => this.admin.describeCluster());
    return {
      clusterId: cluster.clusterId,
      brokerIds: cluster.brokers.map((b) => b.nodeId),
      controllerId: cluster.controller,
    };
  }

  async brokerConfig(
    brokerId: number,
    names: readonly string[],
  ): Promise<ReadonlyMap<string, string>> {
    const resource = {
      type: ConfigResourceTypes.BROKER,
      name: String(brokerId),
      configNames: [...names],
    };
    const described = await classified(() =>
      this.admin.describeConfigs({ resources: [resource], includeSynonyms: false }),
    );
    const entries = described.resources.flatMap((r) => r.configEntries);
    return new Map(entries.map((e) => [e.configName, e.configValue]));
  }
}
