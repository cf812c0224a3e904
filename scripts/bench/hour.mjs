// A large queue hour made from a smaller one: exactly `n` posts, the
// source's own first; when it has fewer, its posts are repeated with new
// ids (same times and content). Used by the benchmark (run.mjs) and the
// Lighthouse runs (scripts/lighthouse.mjs).
export function repeatPosts(source, n) {
  if (!Array.isArray(source) || source.length === 0) throw new Error("the source hour has no posts");
  const posts = [];
  for (let round = 0; posts.length < n; round++) {
    for (const p of source) {
      if (posts.length >= n) break;
      posts.push(round === 0 ? p : { ...p, id: `${p.id}_r${round}` });
    }
  }
  return posts;
}
