using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Features.Shared;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Incubators;

/// <summary>
/// The matrix as a table for Excel: one row per tenant (name, USCC, district, whether its ownership is
/// verified — an export travels, and an unverified company's data is only what someone typed), one column per measure
/// holding the outcome in words. Both files keep Chinese intact when Excel opens them.
/// </summary>
public static class MatrixExport
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IReadOnlyList<string> Header(TenantMatrix matrix) =>
        [T("企业名称", "Company"), T("统一社会信用代码", "USCC"), T("所在区", "District"), T("核验状态", "Verification"), .. matrix.Columns.Select(matrix.Heading)];

    public static IEnumerable<IReadOnlyList<string>> Rows(TenantMatrix matrix) =>
        matrix.Rows.Select(r => (IReadOnlyList<string>)
            [r.Tenant.Name, r.Tenant.Uscc, r.Tenant.District, r.Tenant.VerifiedAt is null ? T("未核验", "unverified") : T("已核验", "verified"),
             .. matrix.Columns.Select(c => TenantMatrix.Word(r.Cells.GetValueOrDefault(c.MeasureId, MatchGroup.NotEligible)))]);

    /// <summary>The matrix as a CSV Excel opens with Chinese intact (see <see cref="ExcelCsv"/>).</summary>
    public static byte[] Csv(TenantMatrix matrix) => ExcelCsv.Write(Rows(matrix).Prepend(Header(matrix)));

    /// <summary>
    /// An .xlsx with one sheet: inline strings (no shared-string table to keep in step), a bold
    /// header row, and the header row and name column frozen so a wide matrix stays readable.
    /// </summary>
    public static byte[] Xlsx(TenantMatrix matrix)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();

            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border()) { Count = 1 },
                new CellFormats(new CellFormat(), new CellFormat { FontId = 1, ApplyFont = true }) { Count = 2 });

            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            uint rowIndex = 0;
            foreach (var (values, header) in Rows(matrix).Select(r => (r, false)).Prepend((Header(matrix), true)))
            {
                rowIndex++;
                var row = new Row { RowIndex = rowIndex };
                for (var i = 0; i < values.Count; i++)
                {
                    row.Append(new Cell
                    {
                        CellReference = TenantCsv.Letter(i) + rowIndex.ToString(CultureInfo.InvariantCulture),
                        DataType = CellValues.InlineString,
                        InlineString = new InlineString(new Text(values[i]) { Space = SpaceProcessingModeValues.Preserve }),
                        StyleIndex = header ? 1u : 0u,
                    });
                }
                data.Append(row);
            }
            // Element order matters in SpreadsheetML: sheetViews, cols, then sheetData.
            sheetPart.Worksheet = new Worksheet(
                new SheetViews(new SheetView(new Pane
                {
                    HorizontalSplit = 1,
                    VerticalSplit = 1,
                    TopLeftCell = "B2",
                    ActivePane = PaneValues.BottomRight,
                    State = PaneStateValues.Frozen,
                })
                { WorkbookViewId = 0 }),
                new Columns(
                    new Column { Min = 1, Max = 1, Width = 36, CustomWidth = true },
                    new Column { Min = 2, Max = 2, Width = 22, CustomWidth = true },
                    new Column { Min = 3, Max = (uint)Math.Max(3, 3 + matrix.Columns.Count), Width = 14, CustomWidth = true }),
                data);

            workbook.Workbook.AppendChild(new Sheets(new Sheet
            {
                Id = workbook.GetIdOfPart(sheetPart),
                SheetId = 1,
                Name = T("政策匹配矩阵", "Matrix"),
            }));
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }
}
