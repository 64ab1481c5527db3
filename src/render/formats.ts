/** The output formats each command renders: the CLI offers exactly these as `--format` choices. */
export const VALIDATE_FORMATS = ['text', 'github', 'json'] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

export const AUDIT_FORMATS = ['text', 'markdown', 'json'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export const REPORT_FORMATS = ['text', 'markdown', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
