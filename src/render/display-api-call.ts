/**
 * An API call as plans show it, in the AWS CLI's shorthand syntax:
 * `ec2 RevokeSecurityGroupIngress GroupId=sg-0a1 SecurityGroupRuleIds=[sgr-0b2]`. Written from the
 * request the adapter sends, so the text cannot drift from what runs.
 */
import type { ApiCall } from '../model/change.js';

export function displayApiCall(call: ApiCall): string {
  const parameters = Object.entries(call.input).map(([key, value]) => `${key}=${shorthand(value)}`);
  return [call.service, call.operation, ...parameters].join(' ');
}

function shorthand(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(shorthand).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([key, v]) => `${key}=${shorthand(v)}`).join(',')}}`;
  }
  const text = String(value);
  // Quoted when it holds anything shorthand gives a meaning to (spaces, commas, brackets, ...).
  return /^[A-Za-z0-9._:/-]+$/.test(text) ? text : JSON.stringify(text);
}
