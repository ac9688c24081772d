import { expect } from 'chai';
import { hashPassword, verifyPassword } from '../../../server/auth/passwords';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('lang genoeg wachtwoord');
    expect(hash).to.match(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('lang genoeg wachtwoord', hash)).to.equal(true);
    expect(await verifyPassword('lang genoeg wachtwoorD', hash)).to.equal(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('hetzelfde wachtwoord')).not.to.equal(await hashPassword('hetzelfde wachtwoord'));
  });

  it('refuses a stored value that is not a hash', async () => {
    expect(await verifyPassword('x', 'plain-text')).to.equal(false);
  });
});
