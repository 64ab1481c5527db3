/** The capacity report for machines: the report itself, with a format version. */
import type { CapacityReport } from '../model/capacity.js';

export const REPORT_FORMAT_VERSION = 'platon-db.report.v1';

export const renderReportJson = (report: CapacityReport): string => `${JSON.stringify({ formatVersion: REPORT_FORMAT_VERSION, ...report }, null, 2)}\n`;
