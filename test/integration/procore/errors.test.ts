import { describe, expect, it } from 'vitest';
import { classifyProcoreFailure, parseLink } from '../../../lambdas/procore';
import { hasNextPage } from '../../../lambdas/procore/pagination';

describe('classifyProcoreFailure()', () => {
  const cases: {
    name: string;
    status: number;
    body: unknown;
    failure: 'transient' | 'permanent' | 'dependency';
    detail: string | RegExp;
    fieldErrors?: Record<string, string[]>;
  }[] = [
    {
      name: 'Rails field errors (422)',
      status: 422,
      body: { errors: { name: ["can't be blank"], country_code: ['is not a valid ISO-3166 alpha-2 country code'] } },
      failure: 'permanent',
      detail: "name: can't be blank; country_code: is not a valid ISO-3166 alpha-2 country code",
      fieldErrors: { name: ["can't be blank"], country_code: ['is not a valid ISO-3166 alpha-2 country code'] },
    },
    {
      name: 'field errors given as JSON text',
      status: 422,
      body: '{"errors":{"origin_id":["has already been taken"]}}',
      failure: 'permanent',
      detail: 'origin_id: has already been taken',
      fieldErrors: { origin_id: ['has already been taken'] },
    },
    {
      name: 'a text `errors` (400)',
      status: 400,
      body: { errors: 'param is missing or the value is empty: vendor' },
      failure: 'permanent',
      detail: 'param is missing or the value is empty: vendor',
    },
    {
      name: 'an `errors` array',
      status: 400,
      body: { errors: ['Invalid date', { field: 'due_date', message: 'is too early' }] },
      failure: 'permanent',
      detail: 'Invalid date; due_date: is too early',
      fieldErrors: { due_date: ['is too early'] },
    },
    {
      name: 'a `message` (403)',
      status: 403,
      body: { message: 'App is not connected to this company' },
      failure: 'permanent',
      detail: 'App is not connected to this company',
    },
    {
      name: 'the v2 error envelope',
      status: 400,
      body: {
        error: {
          code: 'BAD_REQUEST',
          message: 'Validation failed',
          details: [{ reason_code: 'INVALID_PROPERTY', message: 'is required', source: 'wbs_code_id' }],
        },
      },
      failure: 'permanent',
      detail: 'BAD_REQUEST: Validation failed; wbs_code_id: is required',
      fieldErrors: { wbs_code_id: ['is required'] },
    },
    {
      name: 'the nested `{error: {error}}` of a 429',
      status: 429,
      body: { error: { error: 'Too many requests' } },
      failure: 'transient',
      detail: 'Too many requests',
    },
    {
      name: 'the plain-text 429',
      status: 429,
      body: 'You have surpassed the max number of requests for an hour. Please wait until your limit resets.',
      failure: 'transient',
      detail: /^You have surpassed/,
    },
    {
      name: 'an OAuth error',
      status: 401,
      body: { error: 'invalid_client', error_description: 'Client authentication failed' },
      failure: 'permanent',
      detail: 'invalid_client: Client authentication failed',
    },
    {
      name: 'the 401 of an expired token',
      status: 401,
      body: { errors: 'The access token is invalid' },
      failure: 'permanent',
      detail: 'The access token is invalid',
    },
    {
      name: 'a direct-cost conflict (409)',
      status: 409,
      body: { errors: 'Another request is changing this direct cost' },
      failure: 'transient',
      detail: 'Another request is changing this direct cost',
    },
    {
      name: 'an HTML gateway page (502)',
      status: 502,
      body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      failure: 'transient',
      detail: '502 Bad Gateway',
    },
    { name: 'an empty 503', status: 503, body: '', failure: 'transient', detail: '' },
    { name: 'a request timeout (408)', status: 408, body: undefined, failure: 'transient', detail: '' },
    {
      name: 'a vendor missing from the project directory',
      status: 422,
      body: { errors: { vendor: ['is not in the project directory'] } },
      failure: 'dependency',
      detail: 'vendor: is not in the project directory',
      fieldErrors: { vendor: ['is not in the project directory'] },
    },
    {
      name: 'a billing period that does not exist',
      status: 422,
      body: { errors: { period_id: ['does not exist in this project'] } },
      failure: 'dependency',
      detail: 'period_id: does not exist in this project',
      fieldErrors: { period_id: ['does not exist in this project'] },
    },
    {
      name: 'a budget code that does not exist (a mapping problem, not a wait)',
      status: 422,
      body: { errors: { wbs_code_id: ['does not exist in this project'] } },
      failure: 'permanent',
      detail: 'wbs_code_id: does not exist in this project',
      fieldErrors: { wbs_code_id: ['does not exist in this project'] },
    },
  ];

  for (const c of cases) {
    it(`reads ${c.name}`, () => {
      const result = classifyProcoreFailure(c.status, c.body);
      expect(result.failure).toBe(c.failure);
      expect(result.retryable).toBe(c.failure === 'transient');
      if (typeof c.detail === 'string') expect(result.detail).toBe(c.detail);
      else expect(result.detail).toMatch(c.detail);
      expect(result.fieldErrors).toEqual(c.fieldErrors ?? {});
    });
  }

  it('masks a token that an error body echoes', () => {
    const result = classifyProcoreFailure(400, { message: 'bad header Authorization: Bearer eyJabc.def.ghi123' });
    expect(result.detail).not.toContain('eyJabc');
  });
});

describe('pagination', () => {
  it('parses every rel of a Link header', () => {
    const link =
      '<https://api.procore.com/rest/v1.0/vendors?page=1>; rel="first", <https://api.procore.com/rest/v1.0/vendors?page=1>; rel="prev", ' +
      '<https://api.procore.com/rest/v1.0/vendors?page=3>; rel="next", <https://api.procore.com/rest/v1.0/vendors?page=9>; rel="last"';
    expect(parseLink(link)).toEqual({
      first: 'https://api.procore.com/rest/v1.0/vendors?page=1',
      prev: 'https://api.procore.com/rest/v1.0/vendors?page=1',
      next: 'https://api.procore.com/rest/v1.0/vendors?page=3',
      last: 'https://api.procore.com/rest/v1.0/vendors?page=9',
    });
  });

  it('follows Link, then Total, then stops on a short page', () => {
    expect(hasNextPage({ link: '<u?page=2>; rel="next"' }, 1000, 1000, 1000)).toBe(true);
    expect(hasNextPage({ link: '<u?page=1>; rel="first"' }, 1000, 1000, 2000)).toBe(false);
    expect(hasNextPage({ total: '2500' }, 1000, 1000, 2000)).toBe(true);
    expect(hasNextPage({ total: '2000' }, 1000, 1000, 2000)).toBe(false);
    expect(hasNextPage({}, 1000, 999, 999)).toBe(false);
    expect(hasNextPage({}, 1000, 1000, 1000)).toBe(true);
    expect(hasNextPage({ 'per-page': '100', total: '5000' }, 1000, 100, 100)).toBe(true);
    expect(hasNextPage({ 'per-page': '100', link: '<u?page=2>; rel="next"' }, 1000, 60, 60)).toBe(false);
    expect(hasNextPage({ link: '<u?page=2>; rel="next"' }, 1000, 0, 0)).toBe(false);
  });
});
