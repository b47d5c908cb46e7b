using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Profiles;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Incubators;

/// <summary>
/// One problem in an uploaded file. <see cref="Line"/> is the row as a spreadsheet numbers it (the
/// header is line 1; 0 means the file as a whole); <see cref="Column"/> is the spreadsheet's column
/// letter and <see cref="Header"/> the header as written in the file.
/// </summary>
public sealed record CsvProblem(int Line, string Column, string Header, string Value, string Reason);

/// <summary>A row that passed: its line and the checked profile.</summary>
public sealed record CsvTenant(int Line, JsonObject Profile);

/// <summary>The file read and checked: either every row's profile, or every problem found.</summary>
public sealed record TenantCsvResult(IReadOnlyList<CsvTenant> Tenants, IReadOnlyList<CsvProblem> Problems, string? Encoding, int DataRows)
{
    public bool IsValid => Problems.Count == 0;

    /// <summary>The uscc column as the file has it (letter and header), for problems found after reading.</summary>
    public (string Letter, string Header) UsccColumn { get; init; } = ("", "uscc");

    public static TenantCsvResult Refused(string reason, string? encoding = null) =>
        new([], [new CsvProblem(0, "", "", "", reason)], encoding, 0);
}

/// <summary>
/// Reads a tenant import file (see README.md in this folder for the format) and checks every row with
/// the same <see cref="ProfileValidator"/> the profile form uses. It never stops at the first problem:
/// an advisor fixes a whole file in one go, so every bad cell of every row is reported.
/// </summary>
public sealed partial class TenantCsv(ProfileValidator validator)
{
    public const int MaxBytes = 2 * 1024 * 1024;
    public const int MaxRows = 5000;

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// GB18030, the encoding Excel in China saves "CSV" in. .NET Core only knows it once the code-pages
    /// provider is registered; registering in a static constructor does it once per process.
    /// </summary>
    public static Encoding Gb18030 => Providers.Gb18030;

    private static class Providers
    {
        public static readonly Encoding Gb18030;

        static Providers()
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            Gb18030 = Encoding.GetEncoding("GB18030");
        }
    }

    /// <summary>The refusal of a file over <see cref="MaxBytes"/>.</summary>
    public static TenantCsvResult TooLarge(long length) => TenantCsvResult.Refused(T(
        $"文件过大({length / 1024.0 / 1024.0:0.0} MB),上限为 {MaxBytes / 1024 / 1024} MB。请拆分为多个文件分批导入。",
        $"The file is too large ({length / 1024.0 / 1024.0:0.0} MB); the limit is {MaxBytes / 1024 / 1024} MB. Split it and import the parts one by one."));

    // ---- the template ---------------------------------------------------------------------------

    /// <summary>The header row as a file Excel opens correctly: UTF-8 with a BOM, CRLF.</summary>
    public static byte[] Template(bool chineseHeaders)
    {
        var header = string.Join(",", TenantColumns.All.Select(c => chineseHeaders ? c.Zh : c.Key));
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(header + "\r\n")];
    }

    // ---- decoding -------------------------------------------------------------------------------

    /// <summary>
    /// The file's text and the encoding it was read in: a BOM decides (UTF-8, UTF-16); otherwise a
    /// strict UTF-8 decode, and if the bytes are not UTF-8, GB18030 (what Excel in China writes).
    /// </summary>
    public static (string Text, string Encoding) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (StrictUtf8.GetString(bytes[3..]), "UTF-8");
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (Encoding.Unicode.GetString(bytes[2..]), "UTF-16");
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (Encoding.BigEndianUnicode.GetString(bytes[2..]), "UTF-16");
        }
        try
        {
            return (StrictUtf8.GetString(bytes), "UTF-8");
        }
        catch (DecoderFallbackException)
        {
            return (Gb18030.GetString(bytes), "GB18030");
        }
    }

    // ---- reading --------------------------------------------------------------------------------

    public TenantCsvResult Read(byte[] bytes)
    {
        if (Open(bytes, out var text, out var encoding) is { } refused)
        {
            return refused;
        }
        var (records, badQuotes) = Parse(text);
        var header = records[0];
        var columns = ReadHeader(header.Fields, out var headerProblems);
        if (headerProblems.Count > 0)
        {
            // Without a sound header every row would be misread: report the header alone.
            return new([], headerProblems, encoding, 0);
        }

        var data = records.Skip(1).Where(r => r.Fields.Any(f => !string.IsNullOrWhiteSpace(f))).ToList();
        if (data.Count == 0)
        {
            return TenantCsvResult.Refused(T("文件只有表头,没有企业数据行。", "The file has a header row but no companies."), encoding);
        }
        if (data.Count > MaxRows)
        {
            return TenantCsvResult.Refused(T(
                $"文件有 {data.Count} 行数据,一次最多导入 {MaxRows} 行。请拆分后分批导入。",
                $"The file has {data.Count} rows; at most {MaxRows} can be imported at once. Split it and import the parts one by one."), encoding);
        }

        var tenants = new List<CsvTenant>();
        var problems = new List<CsvProblem>();
        var usccLines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in data)
        {
            var rowProblems = new List<CsvProblem>();
            var cells = Cells(record, columns, header.Fields, badQuotes, rowProblems);
            var check = validator.FromForm(ToForm(record.Line, cells, header.Fields, rowProblems), requireIdentity: true);
            AddValidatorProblems(record.Line, check, cells, header.Fields, rowProblems);
            CheckUsccOnce(record.Line, check, cells, header.Fields, usccLines, rowProblems);
            if (rowProblems.Count == 0)
            {
                var profile = check.Profile;
                // The incubator is importing it, so it is an incubator tenant unless the file says otherwise.
                profile["incubator_tenant"] ??= true;
                tenants.Add(new CsvTenant(record.Line, profile));
            }
            problems.AddRange(rowProblems);
        }
        return problems.Count > 0
            ? new([], problems.OrderBy(p => p.Line).ThenBy(p => p.Column.Length).ThenBy(p => p.Column, StringComparer.Ordinal).ToList(), encoding, data.Count)
            : new(tenants, [], encoding, data.Count)
            {
                UsccColumn = Array.FindIndex(columns, c => c?.Key == "uscc") is var usccIndex and >= 0
                    ? (Letter(usccIndex), header.Fields[usccIndex].Trim().Trim('\uFEFF'))
                    : ("", "uscc"),
            };
    }

    /// <summary>The file's text, or its refusal: too large, a workbook, not text in a known encoding, or empty.</summary>
    private static TenantCsvResult? Open(byte[] bytes, out string text, out string encoding)
    {
        text = encoding = "";
        if (bytes.Length > MaxBytes)
        {
            return TooLarge(bytes.Length);
        }
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)"PK\u0003\u0004"u8))
        {
            return TenantCsvResult.Refused(T(
                "这是一个 Excel 工作簿(.xlsx),不是 CSV 文件。请在 Excel 中“另存为”CSV 后再导入。",
                "This is an Excel workbook (.xlsx), not a CSV file. Use Save As… CSV in Excel, then import that."));
        }
        try
        {
            (text, encoding) = Decode(bytes);
        }
        catch (DecoderFallbackException)
        {
            return TenantCsvResult.Refused(T("文件以 UTF-8 标记开头,但内容不是有效的 UTF-8。", "The file starts with a UTF-8 mark but is not valid UTF-8."));
        }
        if (text.Contains('\0'))
        {
            return TenantCsvResult.Refused(T("这不像一个文本文件(CSV)。", "This does not look like a text (CSV) file."), encoding);
        }
        if (string.IsNullOrWhiteSpace(text.Trim('\uFEFF')))
        {
            return TenantCsvResult.Refused(T("文件是空的。请先下载模板,填写后再导入。", "The file is empty. Download the template, fill it in and import it."), encoding);
        }
        return null;
    }

    /// <summary>
    /// The header row: which column is which. Unknown or repeated headers are problems, not silently
    /// ignored columns — a typo in a header would otherwise drop a fact for every row.
    /// </summary>
    private static TenantColumn?[] ReadHeader(string[] header, out List<CsvProblem> problems)
    {
        problems = [];
        var columns = new TenantColumn?[header.Length];
        var seen = new Dictionary<TenantColumn, int>();
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim().Trim('\uFEFF');
            if (name.Length == 0)
            {
                // Excel leaves empty header cells when a column was once formatted; harmless while
                // the column below is empty too (checked per row).
                continue;
            }
            var column = TenantColumns.ForHeader(name);
            if (column is null)
            {
                problems.Add(new(1, Letter(i), name, name, T("无法识别的列名;请使用模板中的列名", "Unknown column: use the template's column names")));
            }
            else if (seen.TryGetValue(column, out var first))
            {
                problems.Add(new(1, Letter(i), name, name, T($"与 {Letter(first)} 列重复", $"Repeats column {Letter(first)}")));
            }
            else
            {
                columns[i] = column;
                seen[column] = i;
            }
        }
        foreach (var required in TenantColumns.All.Where(c => c.Required && !seen.ContainsKey(c)))
        {
            problems.Add(new(1, "", required.Key, "", T($"缺少必需的列“{required.Key}”({required.Zh})", $"The required column '{required.Key}' ({required.En}) is missing")));
        }
        return columns;
    }

    /// <summary>A row's cells by column; a value under no header and a misplaced quote are problems of the row.</summary>
    private static Dictionary<TenantColumn, (int Index, string Value)> Cells(
        Record record, TenantColumn?[] columns, string[] header, Dictionary<int, string> badQuotes, List<CsvProblem> rowProblems)
    {
        var cells = new Dictionary<TenantColumn, (int Index, string Value)>();
        for (var i = 0; i < record.Fields.Length; i++)
        {
            var value = record.Fields[i].Trim();
            if (i < columns.Length && columns[i] is { } column)
            {
                cells[column] = (i, value);
            }
            else if (value.Length > 0)
            {
                rowProblems.Add(new(record.Line, Letter(i), i < header.Length ? header[i] : "", value,
                    T("这一列没有列名,内容无法识别(是否多了一个逗号?)", "This column has no header, so the value cannot be read (an extra comma?)")));
            }
        }
        if (badQuotes.TryGetValue(record.Line, out var badField))
        {
            var index = Array.IndexOf(record.Fields, badField);
            rowProblems.Add(new(record.Line, index >= 0 ? Letter(index) : "", index >= 0 && index < header.Length ? header[index] : "", badField,
                T("引号使用不正确:含逗号或引号的内容应整体加英文双引号,内部的引号写两次", "Misplaced quote: a value with commas or quotes must be in double quotes, with inner quotes doubled")));
        }
        return cells;
    }

    /// <summary>The validator's errors, each on the column it is about (or on the row when no column is).</summary>
    private static void AddValidatorProblems(
        int line, ProfileCheck check, Dictionary<TenantColumn, (int Index, string Value)> cells, string[] header, List<CsvProblem> rowProblems)
    {
        foreach (var (key, message) in check.Errors)
        {
            var column = TenantColumns.ForErrorKey(key);
            if (column is not null && cells.TryGetValue(column, out var cell))
            {
                // A cell already reported by the file reader (e.g. "maybe" in a yes/no column) is
                // not reported again in the validator's words.
                if (rowProblems.Any(p => p.Column == Letter(cell.Index))) continue;
                rowProblems.Add(new(line, Letter(cell.Index), header[cell.Index].Trim(), cell.Value, Explain(column, cell.Value, message)));
            }
            else
            {
                rowProblems.Add(new(line, "", column?.Key ?? key, "", message));
            }
        }
    }

    /// <summary>A code that an earlier row of the file already has is a problem of this row.</summary>
    private static void CheckUsccOnce(
        int line, ProfileCheck check, Dictionary<TenantColumn, (int Index, string Value)> cells, string[] header,
        Dictionary<string, int> usccLines, List<CsvProblem> rowProblems)
    {
        if (check.Profile["uscc"]?.GetValue<string>() is not { } uscc || !cells.TryGetValue(TenantColumns.ForErrorKey("uscc")!, out var usccCell))
        {
            return;
        }
        if (usccLines.TryGetValue(uscc, out var firstLine))
        {
            rowProblems.Add(new(line, Letter(usccCell.Index), header[usccCell.Index].Trim(), usccCell.Value,
                T($"与第 {firstLine} 行的统一社会信用代码重复", $"The same code as line {firstLine}")));
        }
        else
        {
            usccLines[uscc] = line;
        }
    }

    private sealed record Record(int Line, string[] Fields);

    /// <summary>Every record with its spreadsheet row number; rows with a misplaced quote, by line, with the field.</summary>
    private static (List<Record> Records, Dictionary<int, string> BadQuotes) Parse(string text)
    {
        var records = new List<Record>();
        var bad = new Dictionary<int, string>();
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            // Blank lines still count: Parser.Row then numbers records as a spreadsheet numbers rows.
            IgnoreBlankLines = false,
            BadDataFound = args => bad.TryAdd(args.Context.Parser!.Row, args.Field),
            DetectColumnCountChanges = false,
        };
        using var parser = new CsvParser(new StringReader(text), config);
        while (parser.Read())
        {
            records.Add(new Record(parser.Row, parser.Record ?? []));
        }
        return (records, bad);
    }

    // ---- cells to the profile form --------------------------------------------------------------

    /// <summary>
    /// The row as the profile form would have it, so that <see cref="ProfileValidator.FromForm"/>
    /// applies exactly the form's rules. Only what a spreadsheet does differently is handled here:
    /// yes/no words, labels for coded choices, Excel's date and number formats.
    /// </summary>
    private static ProfileForm ToForm(int line, Dictionary<TenantColumn, (int Index, string Value)> cells, string[] headers, List<CsvProblem> problems)
    {
        var row = new Row(line, cells, headers, problems);
        var form = new ProfileForm
        {
            Name = row.Get("name"),
            Uscc = row.Get("uscc")?.ToUpperInvariant(),
            District = row.Get("district") is { } d ? Facts.NormaliseDistrict(d) ?? Facts.NormaliseDistrict(d + "区") ?? d : null,
            Zones = Split(row.Get("zones")),
            IndustryCode = row.Get("industry_code"),
            FocusAreas = Split(row.Get("focus_areas")),
            EstablishedOn = Date(row.Get("established_on")),
            Employees = Number(row.Get("employees")),
            RevenueLastYear = Number(row.Get("revenue_last_year")),
            RdExpenseLastYear = Number(row.Get("rd_expense_last_year")),
            InventionPatents = Number(row.Get("invention_patents")),
            HightechNumber = row.Get("hightech_number"),
            HightechIssuedOn = Date(row.Get("hightech_issued_on")),
            HightechExpiresOn = Date(row.Get("hightech_expires_on")),
            SrdiLevel = row.Choice("srdi_level", Facts.SrdiLevelChoices, ("小巨人", "little_giant"), ("专精特新“小巨人”", "little_giant"), ("专精特新\"小巨人\"", "little_giant"), ("专精特新小巨人", "little_giant")),
            ListingStatus = row.Choice("listing_status", Facts.ListingStatusChoices, ("未上市", "none"), ("无", "none"), ("拟上市", "intends"), ("有上市意向", "intends"), ("已上市", "listed")),
            Unicorn = row.YesNo("unicorn"),
            Gazelle = row.YesNo("gazelle"),
            PostdocWorkstation = row.YesNo("postdoc_workstation"),
            UniversityJointLab = row.YesNo("university_joint_lab"),
            IncubatorTenant = row.YesNo("incubator_tenant"),
            UniversitySpinoff = row.YesNo("university_spinoff"),
        };
        ReadCertificate(row, form);
        ReadTechSme(row, form);
        return form;
    }

    /// <summary>The certificate: "hightech" says yes or no; details alone imply yes.</summary>
    private static void ReadCertificate(Row row, ProfileForm form)
    {
        var details = form.HightechNumber ?? form.HightechIssuedOn ?? form.HightechExpiresOn;
        form.Hightech = row.YesNo("hightech") ?? (details is not null ? "yes" : null);
        if (form.Hightech == "no" && details is not null)
        {
            row.Problem("hightech", T("填写了高新证书编号或日期,但此列为“否”", "A certificate number or date is given, but this column says no"));
        }
    }

    /// <summary>tech_sme_year: a year (yes, registered that year), or 否 (no); 是 without a year is asked for.</summary>
    private static void ReadTechSme(Row row, ProfileForm form)
    {
        if (row.Get("tech_sme_year") is not { } sme)
        {
            return;
        }
        if (ParseBool(sme) is { } registered)
        {
            form.TechSme = registered ? "yes" : "no";
        }
        else
        {
            form.TechSme = "yes";
            form.TechSmeYear = Number(sme);
        }
    }

    /// <summary>One data row's cells, read by column key; a cell that cannot be read is a problem on its column.</summary>
    private sealed class Row(int line, Dictionary<TenantColumn, (int Index, string Value)> cells, string[] headers, List<CsvProblem> problems)
    {
        /// <summary>The cell's value, or null when the column is absent or the cell blank (unknown).</summary>
        public string? Get(string key) =>
            cells.FirstOrDefault(kv => kv.Key.Key == key) is { Key: not null } kv && kv.Value.Value.Length > 0 ? kv.Value.Value : null;

        public void Problem(string key, string reason)
        {
            var (_, (index, value)) = cells.First(kv => kv.Key.Key == key);
            problems.Add(new(line, Letter(index), headers[index].Trim(), value, reason));
        }

        /// <summary>"yes" / "no" as the form's tri-state takes them, from any of the yes/no words.</summary>
        public string? YesNo(string key)
        {
            if (Get(key) is not { } v) return null;
            if (ParseBool(v) is { } b) return b ? "yes" : "no";
            Problem(key, T("应为 是 或 否(留空表示未知)", "Enter 是 or 否 (yes or no); leave blank if unknown"));
            return null;
        }

        /// <summary>A coded value from its code, its Chinese or English label, or a spreadsheet's usual alias.</summary>
        public string? Choice(string key, IReadOnlyList<Choice> choices, params (string Alias, string Value)[] aliases)
        {
            if (Get(key) is not { } v) return null;
            var match = choices.FirstOrDefault(c => Same(c.Value, v) || Same(c.Zh, v) || Same(c.En, v))?.Value
                ?? aliases.FirstOrDefault(a => Same(a.Alias, v)).Value;
            if (match is null) Problem(key, T($"应为以下之一:{string.Join("、", choices.Select(c => c.Zh))}", $"Must be one of: {string.Join(", ", choices.Select(c => c.Value))}"));
            return match;
        }
    }

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    private static bool? ParseBool(string value) => value.Trim().ToLowerInvariant() switch
    {
        "是" or "yes" or "y" or "true" or "1" or "有" => true,
        "否" or "no" or "n" or "false" or "0" or "无" => false,
        _ => null,
    };

    private static List<string> Split(string? value) =>
        value is null ? [] : value.Split([';', '；', '、', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>
    /// Excel rewrites a typed 2019-05-01 as 2019/5/1 when it saves CSV: the forms' own reader
    /// (<see cref="Dates"/>) normalises what it can; anything else goes to the validator as typed, which says
    /// whether it is in another format or a date that does not exist.
    /// </summary>
    private static string? Date(string? value) =>
        value is null ? null : Dates.Parse(value).Date is { } date ? date.ToString("yyyy-MM-dd") : value;

    /// <summary>Excel may write 1.2E+07 for a large number: the validator wants plain digits.</summary>
    private static string? Number(string? value)
    {
        if (value is null) return null;
        var v = value.Trim();
        if ((v.Contains('E') || v.Contains('e')) && decimal.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d.ToString(CultureInfo.InvariantCulture);
        }
        return v;
    }

    /// <summary>The validator's message, with a hint where Excel is the likely culprit.</summary>
    private static string Explain(TenantColumn column, string value, string message)
    {
        if (column.Key == "uscc" && ScientificPattern().IsMatch(value))
        {
            return message + T("。看起来 Excel 把代码当成了数字(科学计数法):请把此列设为“文本”后重新输入", ". Excel seems to have turned the code into a number: format the column as Text and type it again");
        }
        return message;
    }

    /// <summary>A spreadsheet's column letter for a 0-based index: A … Z, AA …</summary>
    public static string Letter(int index)
    {
        var letters = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + (n - 1) % 26) + letters;
        }
        return letters;
    }

    [GeneratedRegex(@"^\d(\.\d+)?[eE]\+?\d+$")]
    private static partial Regex ScientificPattern();
}
