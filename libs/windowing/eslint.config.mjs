import baseConfig from '../../eslint.config.mjs';

// The engine is pure: time arrives as data. No I/O modules, no clocks, no timers (libs/windowing/README.md).
const NODE_IO = [
  'fs',
  'net',
  'http',
  'https',
  'http2',
  'dgram',
  'dns',
  'tls',
  'child_process',
  'worker_threads',
  'cluster',
  'timers',
  'readline',
];

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_IO.flatMap((m) => [
            m,
            `node:${m}`,
            `${m}/promises`,
            `node:${m}/promises`,
          ]).map((name) => ({
            name,
            message:
              'libs/windowing is pure: no I/O. Do I/O in stream-io or a sink and pass data in.',
          })),
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Time is data in the engine: take it from events or watermarks.',
        },
        { object: 'performance', property: 'now', message: 'Time is data in the engine.' },
      ],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'fetch', 'process'].map((name) => ({
          name,
          message: 'The engine is synchronous and pure: the caller owns timers, clocks and I/O.',
        })),
      ],
    },
  },
];
