import type { Admin, Kafka, Message, Producer } from 'kafkajs';
import { KafkaClientError } from '../errors';
import type { PartitionedRecord, RecordProducer } from '../record-producer';
import { classified } from './errors';

/** kafkajs takes a message's own `partition`: its partitioner is asked, and only echoes it. */
const explicitPartition =
  () =>
  ({ message }: { message: Message }) =>
    message.partition as number;

/**
 * The record producer on a kafkajs producer (idempotent, acks=all, one request in flight, no
 * auto-creation). Partition counts come from a metadata request of an admin of its own, connected
 * on the first question: kafkajs keeps its producer's metadata to itself.
 */
export class KafkajsProducer implements RecordProducer {
  private readonly producer: Producer;
  private metadata: Promise<Admin> | undefined;

  constructor(private readonly kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: explicitPartition,
    });
  }

  connect(): Promise<void> {
    return classified(() => this.producer.connect());
  }

  async send(topic: string, records: readonly PartitionedRecord[]): Promise<void> {
    // A PartitionedRecord is a kafkajs message (the compiler checks it): no copy per record.
    const messages: Message[] = records as PartitionedRecord[];
    await classified(() => this.producer.send({ topic, acks: -1, messages }));
  }

  partitionCount(topic: string): Promise<number> {
    return classified(async () => {
      const admin = await this.metadataAdmin();
      const [found] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      if (!found) throw new KafkaClientError(`no metadata for topic ${topic}`, true, undefined);
      return found.partitions.length;
    });
  }

  async disconnect(): Promise<void> {
    const admin = this.metadata;
    this.metadata = undefined;
    const closeAdmin = admin?.then(
      (a) => a.disconnect(),
      () => undefined,
    );
    await classified(() => Promise.all([this.producer.disconnect(), closeAdmin]));
  }

  private metadataAdmin(): Promise<Admin> {
    this.metadata ??= connectedAdmin(this.kafka).catch((error: unknown) => {
      this.metadata = undefined; // the next question connects again
      throw error;
    });
    return this.metadata;
  }
}

async function connectedAdmin(kafka: Kafka): Promise<Admin> {
  const admin = kafka.admin();
  await admin.connect();
  return admin;
}
