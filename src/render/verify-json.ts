/** `platon-db verify --format json`, for scripts: `ok` is false exactly when verify exits 1. */
import type { AccessReport } from '../model/access.js';

export const VERIFY_FORMAT_VERSION = 'platon-db.verify.v1';

export function renderVerifyJson(report: AccessReport): string {
  const ok = !report.findings.some((f) => f.severity === 'error');
  return `${JSON.stringify({ formatVersion: VERIFY_FORMAT_VERSION, instance: report.instance, ok, databases: report.databases, roles: report.roles, findings: report.findings }, null, 2)}\n`;
}
