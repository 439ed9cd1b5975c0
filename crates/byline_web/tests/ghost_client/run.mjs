// Drives the official Ghost Content API client against a live Byline server.
// Usage: node run.mjs URL KEY. Exits non-zero (with a message) on the first failure.
import GhostContentAPI from '@tryghost/content-api';
import assert from 'node:assert/strict';

const [url, key] = process.argv.slice(2);
const api = new GhostContentAPI({url, key, version: 'v5.0'});

const posts = await api.posts.browse({limit: 5, include: 'tags,authors'});
assert.equal(posts.length, 5, 'five posts');
assert.equal(posts.meta.pagination.limit, 5);
assert.ok(posts.meta.pagination.total > 5, 'more than one page');
assert.equal(posts.meta.pagination.next, 2);
for (const p of posts) {
  assert.ok(p.id && p.slug && p.title && p.url && p.html, `post shape: ${JSON.stringify(p).slice(0, 200)}`);
  assert.ok(Array.isArray(p.tags) && Array.isArray(p.authors), 'included tags and authors');
  assert.ok(p.published_at, 'published_at');
}
const second = await api.posts.browse({limit: 5, page: 2, order: 'published_at desc'});
assert.equal(second.meta.pagination.page, 2);
assert.equal(second.meta.pagination.prev, 1);
assert.ok(!second.some((p) => posts.some((q) => q.id === p.id)), 'pages do not overlap');

const one = await api.posts.read({slug: posts[0].slug}, {formats: 'html,plaintext'});
assert.equal(one.id, posts[0].id);
assert.ok(one.plaintext.length > 0 && one.html.includes('<'));
const byId = await api.posts.read({id: posts[0].id});
assert.equal(byId.slug, posts[0].slug);

const fields = await api.posts.browse({limit: 2, fields: 'title,url'});
assert.deepEqual(Object.keys(fields[0]).sort(), ['title', 'url']);

const tags = await api.tags.browse({limit: 'all'});
assert.ok(tags.length > 0 && tags[0].slug && tags[0].name);
const tagged = await api.posts.browse({filter: `tag:${tags[0].slug}`, include: 'tags'});
assert.ok(tagged.every((p) => p.tags.some((t) => t.slug === tags[0].slug)), 'filter by tag');

const authors = await api.authors.browse();
assert.ok(authors.length > 0 && authors[0].slug && authors[0].name);
const byAuthor = await api.posts.browse({filter: `authors.slug:${authors[0].slug}`, include: 'authors'});
assert.ok(byAuthor.every((p) => p.authors.some((a) => a.slug === authors[0].slug)), 'filter by author');

const settings = await api.settings.browse();
assert.ok(settings.title && settings.url && Array.isArray(settings.navigation));

await assert.rejects(api.posts.read({slug: 'no-such-post-anywhere'}), (e) => e.name === 'NotFoundError');
const badKey = new GhostContentAPI({url, key: '0123456789abcdef0123456789', version: 'v5.0'});
await assert.rejects(badKey.posts.browse(), (e) => e.name === 'UnauthorizedError');

console.log('ghost client: all checks passed');
