import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { signToken, verifyToken } from '../../../server/auth/tokens';

const SECRET = 'unit-test-secret-0123456789abcdef';
const claims = { sub: 'u1', org: 'o1', role: 'manager' as const, sv: 0 };

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('login tokens', () => {
  it('verify when signed with the secret', () => {
    const verified = verifyToken(signToken(claims, SECRET, 60), SECRET);
    expect(verified).to.include(claims);
  });

  it('are refused with alg "none"', () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, jti: 'x', iss: 'spiegel', exp: Math.floor(Date.now() / 1000) + 60 })}.`;
    expect(verifyToken(token, SECRET)).to.equal(null);
  });

  it('are refused when signed with another key', () => {
    expect(verifyToken(signToken(claims, 'another-secret-0123456789abcdef', 60), SECRET)).to.equal(null);
  });

  it('are refused when signed with another algorithm', () => {
    const token = jwt.sign({ ...claims, jti: 'x' }, SECRET, { algorithm: 'HS512', issuer: 'spiegel', expiresIn: 60 });
    expect(verifyToken(token, SECRET)).to.equal(null);
  });

  it('are refused when the payload was changed (role raised to admin)', () => {
    const [header, , signature] = signToken(claims, SECRET, 60).split('.');
    const forged = `${header}.${b64({ ...claims, role: 'admin', jti: 'x', iss: 'spiegel', exp: Math.floor(Date.now() / 1000) + 60 })}.${signature}`;
    expect(verifyToken(forged, SECRET)).to.equal(null);
  });

  it('are refused after they expire', () => {
    const token = jwt.sign({ ...claims, jti: 'x', exp: Math.floor(Date.now() / 1000) - 10 }, SECRET, { algorithm: 'HS256', issuer: 'spiegel' });
    expect(verifyToken(token, SECRET)).to.equal(null);
  });

  it('are refused without an expiry, even when signed with the key', () => {
    const token = jwt.sign({ ...claims, jti: 'x' }, SECRET, { algorithm: 'HS256', issuer: 'spiegel' });
    expect(verifyToken(token, SECRET)).to.equal(null);
  });
});
