/** The audit for scripts: the report as is (`formatVersion` says its shape). */
import type { AuditReport } from '../model/audit.js';

export const renderAuditJson = (report: AuditReport): string => `${JSON.stringify(report, null, 2)}\n`;
