import type { AppConfig } from '../config/app-config.js';

/** The link a TV opens: the board page with its display token. */
export function boardUrl(config: Pick<AppConfig, 'publicUrl'>, token: string): string {
  return `${config.publicUrl}/board?token=${encodeURIComponent(token)}`;
}
