// The imports feature's view of the API: types from the server's own schemas, query keys and hooks.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type {
  ColumnMapping,
  CommitResponse,
  ImportDetail,
  ImportOptionsSchema,
  ImportReportSchema,
  ImportSummary,
  PreviewResponse,
  StagedResponse,
  TemplateFields,
} from '../../../../src/modules/imports/imports.schema.ts';
import { api } from '../../api/client.ts';

export type ImportSummaryView = Static<typeof ImportSummary>;
export type ImportDetailView = Static<typeof ImportDetail>;
export type ImportReport = Static<typeof ImportReportSchema>;
export type ImportIssue = ImportReport['errors'][number];
export type ImportOptions = Static<typeof ImportOptionsSchema>;
export type Staged = Static<typeof StagedResponse>;
export type Preview = Static<typeof PreviewResponse>;
export type SavedMapping = Static<typeof ColumnMapping>;
export type Templates = Static<typeof TemplateFields>;
export type Committing = Static<typeof CommitResponse>;
export type ImportStatus = ImportSummaryView['status'];
export type Layout = 'pupils' | 'results' | 'marksheet';

export const importsPath = (schoolId: string) => `/api/v1/schools/${schoolId}/imports`;
export const importPath = (schoolId: string, importId: string) => `${importsPath(schoolId)}/${importId}`;
export const mappingsPath = (schoolId: string) => `/api/v1/schools/${schoolId}/column-mappings`;

/** The same key as the school home page's data status, so both refresh together. */
export const importsKey = (schoolId: string) => ['imports', schoolId];
export const importKey = (schoolId: string, importId: string) => ['imports', schoolId, importId];
export const mappingsKey = (schoolId: string) => ['column-mappings', schoolId];

export function useImportList(schoolId: string) {
  return useQuery({
    queryKey: importsKey(schoolId),
    queryFn: () => api.get<ImportSummaryView[]>(importsPath(schoolId)),
  });
}

/** One import; polled every second while it is being written. */
export function useImport(schoolId: string, importId: string) {
  return useQuery({
    queryKey: importKey(schoolId, importId),
    queryFn: () => api.get<ImportDetailView>(importPath(schoolId, importId)),
    refetchInterval: (query) => (query.state.data?.status === 'committing' ? 1000 : false),
  });
}

/** The first rows as Haven reads them (an audited read of the kept file, so only while it is kept). */
export function usePreview(schoolId: string, importId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...importKey(schoolId, importId), 'preview'],
    queryFn: () => api.get<Preview>(`${importPath(schoolId, importId)}/preview?rows=10`),
    enabled,
    retry: false,
    staleTime: Infinity,
  });
}

export function useTemplates() {
  return useQuery({
    queryKey: ['import-templates'],
    queryFn: () => api.get<Templates>('/api/v1/import-templates'),
    staleTime: Infinity,
  });
}

export function useSavedMappings(schoolId: string) {
  return useQuery({
    queryKey: mappingsKey(schoolId),
    queryFn: () => api.get<SavedMapping[]>(mappingsPath(schoolId)),
  });
}

/** The report of an import that has one (an import refused before it was read has an empty report). */
export function hasReport(report: ImportDetailView['report']): report is ImportReport {
  return 'errors' in report && 'counts' in report;
}

/** An import whose file is still kept: it can be previewed, checked again, committed or discarded. */
export function isOpen(status: ImportStatus): boolean {
  return status === 'validated' || status === 'refused' || status === 'failed';
}

/** "pupils-csv" → pupils; undefined when Haven could not read the file's layout. */
export function layoutOf(format: string): Layout | undefined {
  const layout = format.split('-')[0];
  return layout === 'pupils' || layout === 'results' || layout === 'marksheet' ? layout : undefined;
}

/** CSV and XLSX files have columns to match; CTF and OneRoster files have a fixed layout. */
export function fileTypeOf(format: string): 'csv' | 'xlsx' | 'ctf' | 'oneroster' | undefined {
  const type = format.split('-')[1];
  return type === 'csv' || type === 'xlsx' || type === 'ctf' || type === 'oneroster' ? type : undefined;
}

export function errorTotal(report: ImportReport): number {
  return report.errors.length + report.omitted.errors;
}

export function warningTotal(report: ImportReport): number {
  return report.warnings.length + report.omitted.warnings;
}

/**
 * What the wizard remembers about an upload in this browser tab: the options it was read with (the API
 * does not return them) and its columns in a stable order. Column names only, never cell values.
 */
export interface RememberedUpload {
  options: ImportOptions;
  headers: string[];
  /** The last mapping that read the file: header → field, or null for a column left out. */
  mapping: Record<string, string | null>;
  layout?: Layout | undefined;
}

const storageKey = (importId: string) => `haven.import.${importId}`;

function isRemembered(value: unknown): value is RememberedUpload {
  return (
    typeof value === 'object' &&
    value !== null &&
    'options' in value &&
    'headers' in value &&
    Array.isArray(value.headers) &&
    'mapping' in value
  );
}

export function recall(importId: string): RememberedUpload | undefined {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(storageKey(importId)) ?? 'null');
    return isRemembered(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the options and, when the report read the file's columns, those columns and their mapping. */
export function remember(importId: string, options: ImportOptions, report: ImportReport): RememberedUpload {
  const before = recall(importId);
  const found = [...Object.keys(report.mappedColumns), ...report.droppedColumns];
  const headers = [...(before?.headers ?? [])];
  for (const header of found) {
    if (!headers.includes(header)) {
      headers.push(header);
    }
  }
  const readable = layoutOf(report.format) !== undefined && found.length > 0;
  const mapping: Record<string, string | null> = readable
    ? Object.fromEntries(found.map((header) => [header, report.mappedColumns[header] ?? null]))
    : (before?.mapping ?? {});
  const remembered: RememberedUpload = {
    options,
    headers,
    mapping,
    layout: layoutOf(report.format) ?? before?.layout,
  };
  try {
    sessionStorage.setItem(storageKey(importId), JSON.stringify(remembered));
  } catch {
    // Storage can be full or switched off: the wizard then works from the report alone.
  }
  return remembered;
}

/** What the wizard knows of an upload: remembered in this tab, or worked out from its report. */
export function knownUpload(importId: string, report: ImportReport | undefined): RememberedUpload {
  const remembered = recall(importId);
  if (remembered !== undefined) {
    return remembered;
  }
  const headers =
    report === undefined ? [] : [...Object.keys(report.mappedColumns), ...report.droppedColumns];
  const layout = report === undefined ? undefined : layoutOf(report.format);
  return {
    options: { template: layout, pseudonymousUpn: false, noNames: false },
    headers,
    mapping: Object.fromEntries(headers.map((header) => [header, report?.mappedColumns[header] ?? null])),
    layout,
  };
}

/** Checks the kept file again with new options (layout, column mapping); the report replaces the old one. */
export function useRecheck(schoolId: string, importId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (options: ImportOptions) =>
      api.put<Staged>(`${importPath(schoolId, importId)}/options`, options),
    onSuccess: async (staged, options) => {
      remember(importId, options, staged.report);
      queryClient.removeQueries({ queryKey: [...importKey(schoolId, importId), 'preview'] });
      await queryClient.invalidateQueries({ queryKey: importsKey(schoolId) });
    },
  });
}
