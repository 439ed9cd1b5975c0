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
assert.ok(second.length > 0, 'the second page has posts');
assert.ok(!second.some((p) => posts.some((q) => q.id === p.id)), 'pages do not overlap');

const one = await api.posts.read({slug: posts[0].slug}, {formats: 'html,plaintext'});
assert.equal(one.id, posts[0].id);
assert.ok(one.plaintext.length > 0 && one.html.includes('<'));
const byId = await api.posts.read({id: posts[0].id});
assert.equal(byId.slug, posts[0].slug);

const fields = await api.posts.browse({limit: 2, fields: 'title,url'});
assert.equal(fields.length, 2, 'two posts with fields');
assert.deepEqual(Object.keys(fields[0]).sort(), ['title', 'url']);

const tags = await api.tags.browse({limit: 'all'});
assert.ok(tags.length > 0 && tags[0].slug && tags[0].name);
// Filters are checked with a tag and an author that the first page's posts carry, so
// the filtered lists cannot be empty and "every post matches" cannot pass vacuously.
const tag = posts.flatMap((p) => p.tags)[0];
assert.ok(tag, 'the first page has a tagged post');
const tagged = await api.posts.browse({filter: `tag:${tag.slug}`, include: 'tags', limit: 'all'});
assert.ok(tagged.length > 0, `posts tagged ${tag.slug}`);
assert.ok(tagged.every((p) => p.tags.some((t) => t.slug === tag.slug)), 'filter by tag');
const carrying = posts.filter((p) => p.tags.some((t) => t.slug === tag.slug));
assert.ok(carrying.every((p) => tagged.some((q) => q.id === p.id)), 'filter by tag finds the posts that carry it');

const authors = await api.authors.browse();
assert.ok(authors.length > 0 && authors[0].slug && authors[0].name);
const author = posts[0].authors[0];
assert.ok(author, 'the first post has an author');
const byAuthor = await api.posts.browse({filter: `authors.slug:${author.slug}`, include: 'authors', limit: 'all'});
assert.ok(byAuthor.length > 0, `posts by ${author.slug}`);
assert.ok(byAuthor.every((p) => p.authors.some((a) => a.slug === author.slug)), 'filter by author');
assert.ok(byAuthor.some((p) => p.id === posts[0].id), 'filter by author finds the post it came from');

const settings = await api.settings.browse();
assert.ok(settings.title && settings.url && Array.isArray(settings.navigation));

await assert.rejects(api.posts.read({slug: 'no-such-post-anywhere'}), (e) => e.name === 'NotFoundError');
const badKey = new GhostContentAPI({url, key: '0123456789abcdef0123456789', version: 'v5.0'});
await assert.rejects(badKey.posts.browse(), (e) => e.name === 'UnauthorizedError');

console.log('ghost client: all checks passed');
