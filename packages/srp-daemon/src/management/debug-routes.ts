// Routes that exist only with `debug: true` in the config: fault injection for tests. Without
// it, every /v1/debug/* path is absent (404), whatever part of srpd offers it.
import type { Route } from './router.js';
import { bodyObject, intField, onlyKeys } from './body.js';

export const DEBUG_PREFIX = '/v1/debug/';

/** The routes srpd mounts: debug ones only when debugging is on. */
export function mountable(routes: Route[], debug: boolean): Route[] {
  return debug ? routes : routes.filter((r) => !r.path.startsWith(DEBUG_PREFIX));
}

/**
 * `POST /v1/debug/busy {ms}`: keeps the main thread busy for `ms` in one synchronous loop, as a
 * hung main thread would be (the liveness worker goes on; its watchdog decides).
 */
export function busyRoute(): Route {
  return {
    method: 'POST',
    path: '/v1/debug/busy',
    handler: ({ body }) => {
      const obj = bodyObject(body);
      onlyKeys(obj, ['ms']);
      const ms = intField(obj, 'ms', 1, 600_000);
      const end = performance.now() + ms;
      let spins = 0;
      while (performance.now() < end) spins++;
      return { busyMs: ms, spins };
    },
  };
}
