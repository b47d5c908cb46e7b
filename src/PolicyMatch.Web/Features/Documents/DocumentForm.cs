using System.Globalization;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Profiles;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Documents;

/// <summary>A document's metadata as checked: what the plans table holds besides the text.</summary>
public sealed record DocumentMetadata(string Title, string Issuer, string? DocumentNumber, DateOnly? PublishedOn, DateOnly? PeriodFrom, DateOnly? PeriodTo, IReadOnlyList<string> Regions)
{
    public PlanDocument ToPlan(string id, string document) => new()
    {
        Id = id, Document = document, Title = Title, Issuer = Issuer, DocumentNumber = DocumentNumber, PublishedOn = PublishedOn,
        Period = PeriodFrom is null && PeriodTo is null ? null : new DateRange(PeriodFrom, PeriodTo), Regions = Regions,
    };
}

/// <summary>The new-document form as typed (strings, so what was typed comes back with its error).</summary>
[ValidateNever]
public sealed class DocumentForm
{
    public string? Title { get; set; }
    public string? Issuer { get; set; }
    public string? DocumentNumber { get; set; }
    public string? PublishedOn { get; set; }
    public string? PeriodFrom { get; set; }
    public string? PeriodTo { get; set; }
    public string? Regions { get; set; }
    public string? Text { get; set; }
    public IFormFile? File { get; set; }

    private static readonly char[] Separators = [',', '，', '、', ';', '；', ' ', '\n'];

    /// <summary>The regions a document may name: Beijing's districts, 北京市, 天津市, 河北省, 京津冀 and the zones of the profile.</summary>
    public static IReadOnlyList<string> KnownRegions { get; } =
        [.. Facts.Districts.Select(d => d.Name), "北京市", "京津冀", .. Facts.ZoneList.Select(z => z.Name)];

    /// <summary>The metadata, or the problems by field name with a message in the user's language.</summary>
    public (DocumentMetadata? Metadata, Dictionary<string, string> Errors) Check()
    {
        var errors = new Dictionary<string, string>();
        DateOnly? Date(string field, string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }
            if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }
            errors[field] = T("日期格式应为 YYYY-MM-DD,例如 2025-04-07", "Enter a date as YYYY-MM-DD, e.g. 2025-04-07");
            return null;
        }
        var title = (Title ?? "").Trim();
        var issuer = (Issuer ?? "").Trim();
        if (title.Length == 0)
        {
            errors[nameof(Title)] = T("请填写文件标题", "Enter the document's title");
        }
        else if (title.Length > 200)
        {
            errors[nameof(Title)] = T("标题不超过 200 字", "The title is at most 200 characters");
        }
        if (issuer.Length == 0)
        {
            errors[nameof(Issuer)] = T("请填写发布单位", "Enter the issuer");
        }
        var published = Date(nameof(PublishedOn), PublishedOn);
        var from = Date(nameof(PeriodFrom), PeriodFrom);
        var to = Date(nameof(PeriodTo), PeriodTo);
        if (from is { } f && to is { } t && f > t)
        {
            errors[nameof(PeriodTo)] = T("有效期截止日期早于开始日期", "The period ends before it starts");
        }
        var regions = (Regions ?? "").Split(Separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        var unknown = regions.Where(r => !KnownRegions.Contains(r)).ToList();
        if (regions.Count == 0)
        {
            errors[nameof(Regions)] = T("请至少填写一个适用地区,例如 昌平区", "Enter at least one region, e.g. 昌平区");
        }
        else if (unknown.Count > 0)
        {
            errors[nameof(Regions)] = T($"不认识的地区:{string.Join("、", unknown)}。可填北京各区、北京市、京津冀、天津市、河北省或园区名称", $"Unknown regions: {string.Join(", ", unknown)}. Use Beijing's districts, 北京市, 京津冀, 天津市, 河北省 or a zone's name");
        }
        var number = string.IsNullOrWhiteSpace(DocumentNumber) ? null : DocumentNumber.Trim();
        return errors.Count > 0
            ? (null, errors)
            : (new DocumentMetadata(title, issuer, number, published, from, to, regions), errors);
    }

    /// <summary>The text from the uploaded file if there is one, else the pasted text.</summary>
    public async Task<(TextIntake Intake, string SourceName)> ReadTextAsync(CancellationToken ct)
    {
        if (File is { Length: > 0 } file)
        {
            if (file.Length > DocumentText.MaxBytes)
            {
                // Refused before it is read into memory.
                return (DocumentText.TooLarge(file.Length), Path.GetFileName(file.FileName));
            }
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            return (DocumentText.FromFile(file.FileName, buffer.ToArray()), Path.GetFileName(file.FileName));
        }
        return (DocumentText.FromPaste(Text), DocumentRepository.PastedSource);
    }
}
