export type { Aggregator, AnyAggregator, Scalar } from './aggregator';
export { avg, count, max, min, sum } from './basic';
export { countDistinct, distinctValues } from './distinct';
export { approxCountDistinct } from './hyperloglog';
export { percentiles } from './percentiles';
export { topK } from './top-k';
export type { TopEntry } from './top-k';
