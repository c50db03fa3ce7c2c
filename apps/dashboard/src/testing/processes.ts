import { App, operationsUrlOf, until } from '@rta/app-processes';

export { REPO_ROOT as ROOT, startApp, until } from '@rta/app-processes';
export type { App } from '@rta/app-processes';

/** The aggregator's operations URL, from its start-up log line. */
export const aggregatorUrlOf = (app: App) =>
  until('the aggregator to start', () => operationsUrlOf(app));
