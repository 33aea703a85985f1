import { z } from 'zod';
import type { Endpoint } from './versions';

/**
 * The user's connected applications, `GET /api/v0/users/me/oauth2/authorizations` →
 * `hq_OAuth2UserAuthorizationList {items}`; revoke with
 * `DELETE /api/v0/users/me/oauth2/authorizations/{id}` (204, no body).
 */

/** How the application was registered, `hq_OAuth2AppProvenance`. */
export const appProvenance = z.enum(['dcr', 'api']);

/** 6.2: https://docs.lenses.io/latest/api-reference/reference/oauth2 — every key required. */
export const authorization62 = z.looseObject({
  grant_id: z.string(),
  grant_issued_at: z.string(),
  app_name: z.string(),
  app_display_name: z.string(),
  app_client_id: z.string(),
  app_provenance: z.string(),
  scope: z.array(z.string()),
});

/**
 * 6.3: https://docs.lenses.io/latest/api-reference/6.3/reference/oauth2 — adds
 * `authorization_id` / `authorization_issued_at` and keeps `grant_*` (deprecated). The
 * reference is cut off after `authorization_issued_at`: whether `app_*` and `scope` stay, and
 * what is required, is not visible, so they are read when present (6.2's names).
 */
export const authorization63 = z.looseObject({
  authorization_id: z.string(),
  authorization_issued_at: z.string().optional(),
  grant_id: z.string().optional(),
  grant_issued_at: z.string().optional(),
  app_name: z.string().optional(),
  app_display_name: z.string().optional(),
  app_client_id: z.string().optional(),
  app_provenance: z.string().optional(),
  scope: z.array(z.string()).optional(),
});

export type PublishedAuthorization = z.infer<typeof authorization62> | z.infer<typeof authorization63>;

export const CONNECTED_APPS: Endpoint<{ items: PublishedAuthorization[] }> = {
  request: 'GET /api/v0/users/me/oauth2/authorizations',
  reference: 'https://docs.lenses.io/latest/api-reference/reference/oauth2',
  answers: {
    '6.2': z.looseObject({ items: z.array(authorization62) }),
    '6.3': z.looseObject({ items: z.array(authorization63) }),
  },
};
