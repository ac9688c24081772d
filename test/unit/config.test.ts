// The start-up checks of the configuration: the signing key and DATABASE_URL. Each refusal
// is a StartupError, printed as one line that says what is wrong and how to fix it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../server/config';

function refusal(env: NodeJS.ProcessEnv): Error {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(Error);
    expect((err as Error).name).to.equal('StartupError');
    expect((err as Error).message).not.to.contain('\n');
    return err as Error;
  }
  throw new Error('loadConfig accepted it');
}

describe('configuration checks at start', () => {
  let dataDir: string;
  let keyFile: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-config-'));
    keyFile = path.join(dataDir, 'jwt-secret');
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  describe('the signing key', () => {
    it('refuses a JWT_SECRET shorter than 32 bytes, and says how to make one', () => {
      const err = refusal({ DATA_DIR: dataDir, JWT_SECRET: 'q' });
      expect(err.message).to.contain('JWT_SECRET').and.contain('32').and.contain('openssl rand');
    });

    it('accepts a JWT_SECRET of 32 bytes', () => {
      expect(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: 'k'.repeat(32) }).jwtSecret).to.equal('k'.repeat(32));
    });

    it('generates a key readable by the owner only in a new data directory', () => {
      const config = loadConfig({ DATA_DIR: dataDir });
      expect(Buffer.byteLength(config.jwtSecret)).to.be.at.least(32);
      expect(fs.readFileSync(keyFile, 'utf8').trim()).to.equal(config.jwtSecret);
      expect(fs.statSync(keyFile).mode & 0o777).to.equal(0o600);
      expect(loadConfig({ DATA_DIR: dataDir }).jwtSecret).to.equal(config.jwtSecret);
    });

    it('refuses an empty key file (a full disk) instead of using it', () => {
      fs.writeFileSync(keyFile, '', { mode: 0o600 });
      const err = refusal({ DATA_DIR: dataDir });
      expect(err.message).to.contain(keyFile).and.contain('openssl rand').and.contain('chmod 600');
      expect(fs.readFileSync(keyFile, 'utf8')).to.equal('');
    });

    it('refuses a key file shorter than 32 bytes', () => {
      fs.writeFileSync(keyFile, 'short-key\n', { mode: 0o600 });
      expect(refusal({ DATA_DIR: dataDir }).message).to.contain('te kort');
    });

    it('refuses a key file that the group or other users can read, and says chmod 600', () => {
      fs.writeFileSync(keyFile, 'k'.repeat(64));
      fs.chmodSync(keyFile, 0o640);
      expect(refusal({ DATA_DIR: dataDir }).message).to.contain(`chmod 600 ${keyFile}`);
    });

    it('refuses to make a new key when the data directory already holds a database', () => {
      fs.writeFileSync(path.join(dataDir, 'spiegel.sqlite3'), '');
      const err = refusal({ DATA_DIR: dataDir });
      expect(err.message).to.contain('ontbreekt').and.contain('openssl rand');
      expect(fs.existsSync(keyFile)).to.equal(false);
    });

    it('refuses to make a new key on PostgreSQL when this data directory was set up before', () => {
      fs.writeFileSync(path.join(dataDir, 'setup-done'), '');
      refusal({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/spiegel' });
      expect(fs.existsSync(keyFile)).to.equal(false);
    });
  });

  describe('DATABASE_URL', () => {
    it('refuses a MySQL URL instead of taking it for PostgreSQL', () => {
      const err = refusal({ DATA_DIR: dataDir, JWT_SECRET: 'k'.repeat(40), DATABASE_URL: 'mysql://root@localhost/spiegel' });
      expect(err.message).to.contain('mysql:').and.contain('postgres://');
    });

    it('refuses a value that is not a URL, and shows the form it should have', () => {
      const err = refusal({ DATA_DIR: dataDir, JWT_SECRET: 'k'.repeat(40), DATABASE_URL: 'not-a-url' });
      expect(err.message).to.contain('geen URL').and.contain('postgres://');
    });

    it('accepts postgres:// and postgresql://', () => {
      for (const url of ['postgres://postgres@127.0.0.1:5432/test', 'postgresql://u:p@db.example/spiegel']) {
        expect(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: 'k'.repeat(40), DATABASE_URL: url }).databaseUrl).to.equal(url);
      }
    });
  });

  it('refuses a PORT that is not a port number, in one line', () => {
    expect(refusal({ DATA_DIR: dataDir, JWT_SECRET: 'k'.repeat(40), PORT: '80a' }).message).to.contain('PORT');
  });
});
