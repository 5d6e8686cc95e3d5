import { describe, expect, it } from 'vitest';

import { RouteTable } from './route-table.ts';

describe('the route table behind 405 answers', () => {
  const table = new RouteTable();
  table.add('GET', '/v1/union');
  table.add('HEAD', '/v1/union');
  table.add('POST', '/v1/reports');
  table.add(['GET', 'DELETE'], '/v1/admin/secrets/:id');
  table.add('GET', '/*');
  table.add('OPTIONS', '*');

  it('lists the methods of every pattern a concrete path matches', () => {
    expect(table.allowed('/v1/union')).toEqual(['GET', 'HEAD']);
    expect(table.allowed('/v1/reports?x=1')).toEqual(['POST']);
    expect(table.allowed('/v1/admin/secrets/0123456789abcdef')).toEqual(['DELETE', 'GET']);
  });

  it('ignores catch-all routes and knows nothing of other paths', () => {
    expect(table.allowed('/v1/nothing')).toEqual([]);
    expect(table.allowed('/v1/admin/secrets/a/b')).toEqual([]);
    expect(table.allowed('/v1/reportsX')).toEqual([]);
  });
});
