import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp } from '../helpers/app';

describe('health and static assets', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp(); });
  after(async () => t.close());

  it('reports health with the database in use and that writes succeed', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'ok', db: process.env.DATABASE_URL ? 'postgres' : 'sqlite', writes: 'ok' });
  });

  it('serves assets precompressed with a year of caching under a content-hashed name', async () => {
    const url = (t.app.locals.asset as (n: string) => string)('survey-core.js');
    expect(url).to.match(/^\/assets\/survey-core\.[0-9a-f]{12}\.js$/);
    const br = await request(t.app).get(url).set('Accept-Encoding', 'br, gzip').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(br.status).to.equal(200);
    expect(br.headers['content-encoding']).to.equal('br');
    expect(br.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect(br.headers['content-type']).to.contain('text/javascript');
  });

  it('keeps a first visit to the respondent page under about 450 KB on the wire', async () => {
    const names = ['survey-core.js', 'survey-core-dutch.js', 'survey-js-ui.js', 'survey-core.css', 'survey-theme.js', 'respond.js', 'respond.css'];
    let total = 0;
    for (const name of names) {
      // Content-Length is the size on the wire: the brotli file as sent.
      const res = await request(t.app).head((t.app.locals.asset as (n: string) => string)(name)).set('Accept-Encoding', 'br');
      expect(res.headers['content-encoding']).to.equal('br');
      total += Number(res.headers['content-length']);
    }
    expect(total).to.be.below(450 * 1024);
  });

  it('answers 304 to a revalidation and 404 to anything outside the manifest', async () => {
    const url = (t.app.locals.asset as (n: string) => string)('respond.css');
    const first = await request(t.app).get(url).set('Accept-Encoding', 'gzip');
    const again = await request(t.app).get(url).set('Accept-Encoding', 'gzip').set('If-None-Match', first.headers.etag);
    expect(again.status).to.equal(304);
    expect((await request(t.app).get('/assets/..%2f..%2fpackage.json')).status).to.equal(404);
    expect((await request(t.app).get('/assets/manifest.json')).status).to.equal(404);
  });
});
