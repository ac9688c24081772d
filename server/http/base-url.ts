import type { Request } from 'express';

/** The address respondents should use: PUBLIC_URL when set, else what the request came to. */
export function baseUrlOf(req: Request, publicUrl: string | null): string {
  return publicUrl ?? `${req.protocol}://${req.get('host')}`;
}
