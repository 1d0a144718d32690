import ExcelJS from 'exceljs';
import type { ReportTable } from './report-tables.ts';

/**
 * A report as an XLSX workbook. Every cell is written as a value (text or number), never a formula,
 * so a value that looks like one cannot run when the file is opened.
 */
export async function xlsxDownload(sheetName: string, table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Haven';
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  sheet.addRow(table.header).font = { bold: true };
  for (const row of table.rows) {
    sheet.addRow(row.map((cell) => (cell === null ? '' : cell)));
  }
  sheet.columns.forEach((column) => {
    column.width = 18;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
