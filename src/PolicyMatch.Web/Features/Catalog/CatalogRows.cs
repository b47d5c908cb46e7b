using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyMatch.Rules;

namespace PolicyMatch.Web.Features.Catalog;

// Typed rows as the SQL returns them (snake_case columns map to these names).

public sealed record PlanRow
{
    public string Id { get; init; } = "";
    public string Document { get; init; } = "";
    public string Title { get; init; } = "";
    public string Issuer { get; init; } = "";
    public string? DocumentNumber { get; init; }
    public DateOnly? PublishedOn { get; init; }
    public DateOnly? PeriodFrom { get; init; }
    public DateOnly? PeriodTo { get; init; }
    public string RegionsJson { get; init; } = "[]";
    public string? Attribution { get; init; }
    public string? Notes { get; init; }
    public string Body { get; init; } = "";

    public IReadOnlyList<string> Regions => JsonList.Parse(RegionsJson);
}

public sealed record ClauseRow
{
    public string PlanId { get; init; } = "";
    public string Ref { get; init; } = "";
    public long Ordinal { get; init; }
    public long Depth { get; init; }
    public string Heading { get; init; } = "";
    public string Text { get; init; } = "";
}

/// <summary>A measure at one version, with its lifecycle fields.</summary>
public sealed record MeasureVersionRow
{
    public string MeasureId { get; init; } = "";
    public string PlanId { get; init; } = "";
    public string PlanDocument { get; init; } = "";
    public string PlanTitle { get; init; } = "";
    public string Status { get; init; } = "";
    public long Version { get; init; }
    public string Title { get; init; } = "";
    public string? TitleEn { get; init; }
    public string Summary { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Beneficiary { get; init; } = "company";
    public string? Amount { get; init; }
    public string? ApplyJson { get; init; }
    public string DepartmentsJson { get; init; } = "[]";
    public string RegionsJson { get; init; } = "[]";
    public string FocusAreasJson { get; init; } = "[]";
    public DateOnly? PeriodFrom { get; init; }
    public DateOnly? PeriodTo { get; init; }
    public DateOnly? WindowOpens { get; init; }
    public DateOnly? WindowCloses { get; init; }
    public string ClauseRef { get; init; } = "";
    public string Quote { get; init; } = "";
    public string? Notes { get; init; }
    public string CriteriaJson { get; init; } = "[]";
    public string ContentHash { get; init; } = "";

    public IReadOnlyList<string> Departments => JsonList.Parse(DepartmentsJson);
    public IReadOnlyList<string> Regions => JsonList.Parse(RegionsJson);
    public IReadOnlyList<string> FocusAreas => JsonList.Parse(FocusAreasJson);

    public IReadOnlyList<Criterion> Criteria() =>
        (JsonSerializer.Deserialize<List<CriterionDocument>>(CriteriaJson, CatalogJson.Options) ?? [])
            // An English label is optional: without one, English pages show the Chinese label.
            .Select(c => new Criterion(c.Id, c.LabelZh, string.IsNullOrWhiteSpace(c.LabelEn) ? c.LabelZh : c.LabelEn, c.Rule ?? JsonValue.Create(true)))
            .ToList();

    public MeasureRuleSet RuleSet() => new(MeasureId, (int)Version, Criteria());

    /// <summary>Who receives what the measure gives.</summary>
    public Beneficiary BeneficiaryOf => Catalog.Beneficiary.Of(Beneficiary);

    /// <summary>Whether companies are matched against this measure (see <see cref="Catalog.Beneficiary.Matched"/>).</summary>
    public bool IsMatched => BeneficiaryOf.Matched;

    /// <summary>How to apply, as far as the source states it; null where it states nothing.</summary>
    public HowToApply? Apply() =>
        string.IsNullOrEmpty(ApplyJson) ? null : JsonSerializer.Deserialize<HowToApply>(ApplyJson, CatalogJson.Options);

    /// <summary>Whether the source states anything about applying: a window, an amount, a channel, a contact, documents or links.</summary>
    public bool StatesHowToApply => WindowOpens is not null || WindowCloses is not null || Amount is not null || Apply() is { IsEmpty: false };

    /// <summary>
    /// What a results list shows beside the measure (issue 11): the amount or ratio as the source
    /// states it, and the next application deadline on <paramref name="asOf"/> — the window's closing
    /// date while it has not passed, else null. Both are null where the source states none.
    /// </summary>
    public ActionFacts ActionFactsOn(DateOnly asOf) =>
        new(Amount, WindowCloses is { } closes && closes >= asOf ? closes : null, WindowOpens is { } opens && opens > asOf ? opens : null);

    /// <summary>Whether the measure's period covers the date.</summary>
    public PeriodStatus PeriodStatusOn(DateOnly date) =>
        PeriodFrom is { } from && date < from ? PeriodStatus.Upcoming
        : PeriodTo is { } to && date > to ? PeriodStatus.Expired
        : PeriodStatus.InForce;
}

public enum PeriodStatus { InForce, Upcoming, Expired }

/// <summary>A measure's amount and dates that a company can act on (see <see cref="MeasureVersionRow.ActionFactsOn"/>).</summary>
/// <param name="Amount">the amount or ratio quoted from the source, or null</param>
/// <param name="NextDeadline">the application window's closing date if it has not passed, or null</param>
/// <param name="OpensOn">the window's opening date if it is still ahead, or null</param>
public sealed record ActionFacts(string? Amount, DateOnly? NextDeadline, DateOnly? OpensOn);

public sealed record NoticeRow
{
    public string Id { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    public DateOnly PublishedOn { get; init; }
    public DateOnly? WindowOpens { get; init; }
    public DateOnly? WindowCloses { get; init; }
    public string? SourceDocument { get; init; }
    public string? SourceQuote { get; init; }
    public string? Notes { get; init; }
}

internal static class JsonList
{
    public static IReadOnlyList<string> Parse(string json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];

    public static string Write(IEnumerable<string>? items) =>
        JsonSerializer.Serialize(items?.ToList() ?? [], CatalogJson.Compact);
}

public static class CatalogMapping
{
    /// <summary>A stored measure in the catalog's file format (the API, the open-data export).</summary>
    public static MeasureDocument ToDocument(this MeasureVersionRow row) => new()
    {
        Id = row.MeasureId,
        Title = row.Title,
        TitleEn = row.TitleEn,
        Summary = row.Summary,
        Kind = row.Kind,
        Beneficiary = row.Beneficiary,
        Amount = row.Amount,
        Departments = row.Departments,
        Regions = row.Regions,
        Period = new DateRange(row.PeriodFrom, row.PeriodTo),
        Window = row.WindowOpens is null && row.WindowCloses is null ? null : new ApplicationWindow(row.WindowOpens, row.WindowCloses),
        Apply = row.Apply(),
        FocusAreas = row.FocusAreas,
        Source = new SourceRef { Document = row.PlanDocument, Clause = row.ClauseRef, Quote = row.Quote },
        Notes = row.Notes,
        Criteria = JsonSerializer.Deserialize<List<CriterionDocument>>(row.CriteriaJson, CatalogJson.Options) ?? [],
        Plan = row.PlanDocument,
        Status = row.Status,
        Version = (int)row.Version,
    };

    public static NoticeDocument ToDocument(this NoticeRow row, IReadOnlyList<string> measures) => new()
    {
        Id = row.Id,
        Kind = row.Kind,
        Title = row.Title,
        PublishedOn = row.PublishedOn,
        Window = row.WindowOpens is null && row.WindowCloses is null ? null : new ApplicationWindow(row.WindowOpens, row.WindowCloses),
        Body = row.Body,
        Measures = measures,
        Source = row.SourceDocument is null ? null : new NoticeSource(row.SourceDocument, row.SourceQuote ?? ""),
        Notes = row.Notes,
    };
}
