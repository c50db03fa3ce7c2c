import baseConfig, { moduleBoundaries } from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // It measures the Kafka client libraries themselves, beside stream-io: the one file outside
    // stream-io that may import them.
    files: ['src/client-ceilings.ts'],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries({ kafkaClients: true }) },
  },
];
