export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface PartitionCount {
  readonly topic: string;
  readonly partitions: number;
}

export interface PartitionOffsets {
  readonly partition: number;
  /** The oldest offset still retained. */
  readonly low: string;
  /** The offset the next record will get (the high watermark). */
  readonly high: string;
}

export interface CommittedOffset {
  readonly partition: number;
  /** The next offset the group reads; '-1' when it never committed one. */
  readonly offset: string;
}

export interface ClusterInfo {
  readonly clusterId: string;
  readonly brokerIds: readonly number[];
  /** The active controller's id; null while there is none. */
  readonly controllerId: number | null;
}

/**
 * Topic administration, the same over every Kafka client: what topic setup, the tail, the health
 * probe and the tests need, nothing more. Connect before use, disconnect after. Every failure is
 * a KafkaClientError.
 */
export interface TopicAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(): Promise<readonly string[]>;
  /** Resolves once every partition of the new topics has a leader. */
  createTopics(specs: readonly TopicSpec[]): Promise<void>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  partitionCounts(topics: readonly string[]): Promise<readonly PartitionCount[]>;
  topicOffsets(topic: string): Promise<readonly PartitionOffsets[]>;
  committedOffsets(groupId: string, topic: string): Promise<readonly CommittedOffset[]>;
  describeCluster(): Promise<ClusterInfo>;
  /** The named settings of one broker, as the broker reports them (absent when unknown). */
  brokerConfig(brokerId: number, names: readonly string[]): Promise<ReadonlyMap<string, string>>;
}
