using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace PolicyMatch.Web.Features.Catalog;

// The catalog's file formats: the seeds in seeds/ and the open-data export/import share them.
// See seeds/README.md for what each field means.

public sealed record DateRange(DateOnly? From, DateOnly? To);

public sealed record ApplicationWindow(DateOnly? Opens, DateOnly? Closes);

// Records with required/optional init properties rather than positional ones: the JSON keeps this
// field order, required fields are enforced by the deserializer, optional ones may be left out.

public sealed record PlanDocument
{
    public required string Id { get; init; }
    public required string Document { get; init; }
    public required string Title { get; init; }
    public required string Issuer { get; init; }
    public string? DocumentNumber { get; init; }
    public DateOnly? PublishedOn { get; init; }
    public DateRange? Period { get; init; }
    public IReadOnlyList<string>? Regions { get; init; }
    public string? Attribution { get; init; }
    public string? Notes { get; init; }
}

public sealed record SourceRef
{
    /// <summary>The plan's file name; filled in on export, optional on input (the plan says it).</summary>
    public string? Document { get; init; }
    public required string Clause { get; init; }
    public required string Quote { get; init; }
}

public sealed record CriterionDocument
{
    public required string Id { get; init; }
    public required string LabelZh { get; init; }
    public required string LabelEn { get; init; }
    public required JsonNode? Rule { get; init; }
}

/// <summary>A link to a notice (or page) that opens an application round, as the source gives it.</summary>
public sealed record ApplyLink
{
    public required string Title { get; init; }
    public required string Url { get; init; }
}

/// <summary>
/// How to apply, only as far as the source states it (issue 11): every field is null or empty where
/// the source says nothing, and the measure page then says so instead of guessing.
/// </summary>
public sealed record HowToApply
{
    /// <summary>online (an online system), office (in person at an office) or notice (through a notice that opens a round).</summary>
    public string? Channel { get; init; }
    /// <summary>The channel as the source names it: the system's name or address, the office.</summary>
    public string? ChannelDetail { get; init; }
    /// <summary>The responsible department's contact (phone, address) as stated.</summary>
    public string? Contact { get; init; }
    public IReadOnlyList<string>? Documents { get; init; }
    public IReadOnlyList<ApplyLink>? Links { get; init; }

    [JsonIgnore]
    public bool IsEmpty => Channel is null && string.IsNullOrWhiteSpace(ChannelDetail) && string.IsNullOrWhiteSpace(Contact)
        && (Documents?.Count ?? 0) == 0 && (Links?.Count ?? 0) == 0;

    public static readonly IReadOnlyList<(string Code, string Zh, string En)> Channels =
    [
        ("online", "网上申报系统", "Online system"),
        ("office", "到窗口办理", "At an office"),
        ("notice", "按通知申报", "Through a notice"),
    ];

    public static string ChannelLabel(string? code, bool english) =>
        Channels.FirstOrDefault(c => c.Code == code) is { Code: not null } c ? (english ? c.En : c.Zh) : code ?? "";
}

public sealed record MeasureDocument
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string? TitleEn { get; init; }
    public required string Summary { get; init; }
    public required string Kind { get; init; }
    /// <summary>company, talent, institution or government (see <see cref="Beneficiary"/>); required by the validator.</summary>
    public string? Beneficiary { get; init; }
    public string? Amount { get; init; }
    public IReadOnlyList<string>? Departments { get; init; }
    public IReadOnlyList<string>? Regions { get; init; }
    public DateRange? Period { get; init; }
    public ApplicationWindow? Window { get; init; }
    /// <summary>How to apply, where the source states it; null where it states nothing.</summary>
    public HowToApply? Apply { get; init; }
    public IReadOnlyList<string>? FocusAreas { get; init; }
    public required SourceRef Source { get; init; }
    public string? Notes { get; init; }
    public required IReadOnlyList<CriterionDocument> Criteria { get; init; }

    // Present in exports; a seed file's measures take the file's plan and are published.
    public string? Plan { get; init; }
    public string? Status { get; init; }
    public int? Version { get; init; }
}

public sealed record MeasureFile(string Plan, IReadOnlyList<MeasureDocument> Measures);

public sealed record NoticeSource(string Document, string Quote);

public sealed record NoticeDocument
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Title { get; init; }
    public required DateOnly PublishedOn { get; init; }
    public ApplicationWindow? Window { get; init; }
    public required string Body { get; init; }
    public required IReadOnlyList<string> Measures { get; init; }

    /// <summary>Where the notice is for: its recipients are eligible companies in these regions (issue 12).</summary>
    public IReadOnlyList<string>? Regions { get; init; }

    public NoticeSource? Source { get; init; }
    public string? Notes { get; init; }
}

/// <summary>The open-data export of the catalog, and the format that import accepts.</summary>
public sealed record CatalogExport
{
    public const string CurrentFormat = "policymatch-catalog/1";

    public required string Format { get; init; }
    public DateTimeOffset? ExportedAt { get; init; }
    public required IReadOnlyList<MeasureDocument> Measures { get; init; }
    public IReadOnlyList<NoticeDocument>? Notices { get; init; }
}

public sealed record PolicyCase(string Measure, string Name, DateOnly AsOf, JsonObject Profile, string Expected);

public static class CatalogJson
{
    /// <summary>snake_case, Chinese unescaped, indented: files a policy person can read and diff.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The same conventions on one line: for JSON kept in database columns.</summary>
    public static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };
}
