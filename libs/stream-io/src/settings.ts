/** How to reach the brokers: the same settings whichever Kafka client connects with them. */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TLS to the brokers: true for the system CAs, or a PEM CA bundle. */
  readonly tls?: true | { readonly ca: string };
  /** SASL authentication (SCRAM for production, PLAIN for tests). Holds a secret: never log it. */
  readonly sasl?: {
    readonly mechanism: 'scram-sha-256' | 'scram-sha-512' | 'plain';
    readonly username: string;
    readonly password: string;
  };
  /** How long one connection attempt may take (default: the client's own). */
  readonly connectTimeoutMs?: number;
  /** Retries of a failed request before it fails (default 8); 0 for a probe that answers now. */
  readonly retries?: number;
  /**
   * The client's own log lines on stderr (default 'warn'). 'silent' for a probe that polls a broker
   * which is expected to be down for a while: every failed attempt would log an error.
   */
  readonly logLevel?: 'warn' | 'error' | 'silent';
}
