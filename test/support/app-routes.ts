// Every route of a running Nest app, read from its controllers' metadata (the router's own view), so
// a test that must cover every route (roles, no-store, ...) fails when a new one is not classified.

import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';

export interface AppRoute {
  /** 'GET', 'POST', ... */
  method: keyof typeof RequestMethod;
  /** The full path with its parameters, e.g. `/api/v1/leads/:id/events`. */
  path: string;
}

export function appRoutes(app: INestApplication): AppRoute[] {
  const found: AppRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
      for (const name of Object.getOwnPropertyNames(metatype.prototype)) {
        const handler = (metatype.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (method === undefined || sub === undefined) continue;
        const path = ('/' + [base, sub].filter((part) => part && part !== '/').join('/')).replace(/\/+/g, '/');
        found.push({ method: RequestMethod[method] as keyof typeof RequestMethod, path });
      }
    }
  }
  return found;
}
