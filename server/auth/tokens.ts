// Login tokens: short-lived HS256 JWTs. The algorithm is fixed on verify, so a token
// with alg "none" or signed with another key or algorithm is refused, and so is one
// without an expiry: a token made without `exp` would never stop working.
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';

// network: sees the aggregates of one network's benchmark (server/benchmarks), nothing of any
// one organisation; such an account belongs to its network and to no organisation.
export const ROLES = ['admin', 'manager', 'viewer', 'network'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenClaims {
  sub: string;
  /** The organisation, or null for a network account (which has none). */
  org: string | null;
  role: Role;
  /** The user's session version when the token was made; bumped on logout and role changes. */
  sv: number;
  jti: string;
}

const ALGORITHM = 'HS256';
const ISSUER = 'spiegel';

export function signToken(claims: Omit<TokenClaims, 'jti'>, secret: string, ttlSeconds: number): string {
  return jwt.sign({ ...claims, jti: crypto.randomUUID() }, secret, {
    algorithm: ALGORITHM, expiresIn: ttlSeconds, issuer: ISSUER,
  });
}

export function verifyToken(token: string, secret: string): TokenClaims | null {
  try {
    const payload = jwt.verify(token, secret, { algorithms: [ALGORITHM], issuer: ISSUER });
    if (typeof payload !== 'object' || payload === null) return null;
    const { sub, org, role, sv, jti, exp } = payload as Record<string, unknown>;
    if (typeof exp !== 'number') return null;
    if (typeof sub !== 'string' || (typeof org !== 'string' && org !== null) || typeof jti !== 'string') return null;
    if (typeof sv !== 'number' || !ROLES.includes(role as Role)) return null;
    return { sub, org: org as string | null, role: role as Role, sv, jti };
  } catch {
    return null;
  }
}

/** The CSRF token of a session: bound to the login token, so it needs no storage. */
export function csrfTokenFor(jti: string, secret: string): string {
  return crypto.createHmac('sha256', secret).update(`csrf:${jti}`).digest('base64url');
}
