import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { TestBrowser, testApp, type TestApp } from '../accounts/accounts.testing.js';
import { createSession } from '../accounts/sessions.js';
import type { DatabaseHandle } from '../db/db.js';
import type { RoleColumn } from '../db/db-schema.js';
import { testBackends } from '../db/db-test.js';
import { routesOfTree } from './routes.testing.js';

/**
 * The OpenAPI document made from the routes' zod schemas (openapi.ts): valid OpenAPI 3.1 by the
 * specification's own JSON Schema (checked by @seriousme/openapi-schema-validator), listing every
 * route with its input schemas, and shown to staff only.
 */

type Operation = {
  parameters?: { in: string; name: string; schema?: unknown }[];
  requestBody?: { content: Record<string, { schema?: unknown }> };
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** Fastify's `:name` parameters as OpenAPI writes them: `{name}`. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z_]\w*)/g, '{$1}');

for (const backend of [testBackends()[0]].flatMap((b) => (b ? [b] : []))) {
  describe(`the OpenAPI document on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;

    before(async () => {
      handle = await backend.open();
      t = await testApp(handle);
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    async function browserAs(role: RoleColumn, kind: 'reader' | 'staff') {
      const account = await handle.db
        .insertInto('accounts')
        .values({
          display_name: `문서 ${role}`,
          role,
          staff_email: kind === 'staff' ? `openapi-${role}@example.com` : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { token } = await createSession(t.deps, {
        accountId: account.id,
        kind,
        method: kind === 'staff' ? 'password+totp' : 'email',
        userAgent: 'openapi.test',
        ip: '203.0.113.10',
      });
      const browser = new TestBrowser(t.app);
      browser.cookies.set('byline_session', token);
      return browser;
    }

    it('is valid OpenAPI 3.1 by the specification schema', async () => {
      const staff = await browserAs('editor', 'staff');
      const response = await staff.get('/api/openapi.json', { accept: 'application/json' });
      assert.equal(response.statusCode, 200, response.body);
      assert.match(String(response.headers['content-type']), /application\/json/);
      const document = response.json<Document>();
      assert.equal(document.openapi, '3.1.0');
      const validator = new Validator();
      const result = await validator.validate(document);
      assert.deepEqual(result.errors ?? [], [], 'the validator found no errors');
      assert.equal(result.valid, true);
      assert.equal(validator.version, '3.1');
      // The validator does refuse a broken document: one whose path has no operations' shape.
      const broken = { ...document, paths: { '/x': { get: { parameters: [{ in: 'path' }] } } } };
      assert.equal((await new Validator().validate(broken)).valid, false);
    });

    it('lists every route the app serves, with the schemas of its input', () => {
      const document = t.app.swagger() as unknown as Document;
      const routes = routesOfTree(t.app.printRoutes({ commonPrefix: false }));
      const missing = routes.filter(
        ({ method, url }) =>
          method !== 'HEAD' && !document.paths[openApiPath(url)]?.[method.toLowerCase()],
      );
      assert.deepEqual(missing, []);
      // A form's fields and an address's parameters are described, not left open.
      const post = document.paths['/articles/{articleId}/comments']?.post;
      assert.ok(
        post?.requestBody?.content['application/x-www-form-urlencoded'] ??
          post?.requestBody?.content['application/json'],
        'the comment form has a body schema',
      );
      const param = post?.parameters?.find((p) => p.in === 'path' && p.name === 'articleId');
      assert.ok(param?.schema, 'the article id is described');
    });

    it('is shown to staff only: readers and visitors are refused', async () => {
      const visitor = new TestBrowser(t.app);
      const anonymous = await visitor.get('/api/openapi.json', { accept: 'application/json' });
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.json<{ error: { code: string } }>().error.code, 'UNAUTHENTICATED');
      const reader = await browserAs('reader', 'reader');
      const refused = await reader.get('/api/openapi.json', { accept: 'application/json' });
      assert.equal(refused.statusCode, 403);
    });
  });
}
