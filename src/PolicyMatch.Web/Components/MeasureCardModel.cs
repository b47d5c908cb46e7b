using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Matching;

namespace PolicyMatch.Web.Components;

/// <summary>A measure a card links to (a near miss's helper).</summary>
public sealed record MeasureLink(string MeasureId, string Title, string? TitleEn);

/// <summary>A notice a card links to (the call that opens a helper measure's round): its kind, and its deadline if it states one.</summary>
public sealed record NoticeLink(string NoticeId, string Kind, string Title, DateOnly? Closes);

/// <summary>
/// What a measure card shows, as plain values: a page builds it from a match or a catalog row, and a
/// new catalog field (an amount, a window) reaches every card by being set here.
/// </summary>
public sealed record MeasureCardModel
{
    public required string MeasureId { get; init; }
    public required string Title { get; init; }
    public string? TitleEn { get; init; }
    public required string Href { get; init; }
    public required string Kind { get; init; }
    public PeriodStatus? Period { get; init; }
    public string Status { get; init; } = MeasureStatus.Published;
    public string Summary { get; init; } = "";

    /// <summary>The amount or ratio as the source states it; null when it states none.</summary>
    public string? Amount { get; init; }

    /// <summary>When applications close (the measure's window), if the source states it.</summary>
    public DateOnly? Deadline { get; init; }

    /// <summary>The last day of the measure's period in force.</summary>
    public DateOnly? PeriodEnds { get; init; }

    public IReadOnlyList<string> Departments { get; init; } = [];

    /// <summary>Where it comes from ("plan title · clause"), for lists without a profile.</summary>
    public string? Source { get; init; }

    /// <summary>
    /// Who benefits, when that is not a company or its staff: such a measure is never matched, and a
    /// list that shows it (search) says so on its card.
    /// </summary>
    public Beneficiary? NotMatched { get; init; }

    /// <summary>The match's group, when the card shows a match.</summary>
    public MatchGroup? Group { get; init; }

    public int Met { get; init; }
    public int Total { get; init; }
    public IReadOnlyList<string> MissingFacts { get; init; } = [];

    /// <summary>The failing criterion of a near miss.</summary>
    public CriterionEvaluation? Failing { get; init; }

    /// <summary>Measures that help meet <see cref="Failing"/>.</summary>
    public IReadOnlyList<MeasureLink> Helpers { get; init; } = [];

    /// <summary>Open notices of the <see cref="Helpers"/>: where to apply for what helps.</summary>
    public IReadOnlyList<NoticeLink> HelperNotices { get; init; } = [];

    /// <summary>
    /// A search hit's highlighted text. Trusted markup: the search builds it from HTML-encoded text and
    /// its own &lt;mark&gt; tags only (SearchRepository).
    /// </summary>
    public string? SnippetHtml { get; init; }

    /// <summary>
    /// Title, badges and score only: for the collapsed reference lists (expired, not eligible), which
    /// hold most of the catalog and are rarely opened — the full card is one click away.
    /// </summary>
    public bool Compact { get; init; }

    public MeasureCardModel()
    {
    }

    /// <summary>
    /// What every card takes from the catalog row, in one place: a field added here reaches the cards of
    /// matches and of lists alike. A constructor rather than a copy (<c>with</c>), so the matches page's
    /// cards cost one object each.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    private MeasureCardModel(MeasureVersionRow m, PeriodStatus? period, string href)
    {
        MeasureId = m.MeasureId;
        Title = m.Title;
        TitleEn = m.TitleEn;
        Href = href;
        Kind = m.Kind;
        Period = period;
        Status = m.Status;
        Summary = m.Summary;
        Amount = m.Amount;
        Deadline = m.WindowCloses;
        PeriodEnds = m.PeriodTo;
        Departments = Features.Matching.Departments.Of(m);
    }

    /// <param name="openNotices">The open notices of each helper measure, by measure id (<see cref="NoticeLinks.OpenByMeasureAsync"/>).</param>
    public static MeasureCardModel FromMatch(MatchItem item, string profileQuery, bool compact = false,
        IReadOnlyDictionary<string, IReadOnlyList<NoticeLink>>? openNotices = null)
    {
        var e = item.Evaluation;
        return new MeasureCardModel(item.Measure, item.Period, "/measures/" + Uri.EscapeDataString(item.Measure.MeasureId) + profileQuery)
        {
            Group = item.Group,
            Met = e.Met,
            Total = e.Total,
            MissingFacts = item.Group == MatchGroup.NeedsInformation ? e.MissingFacts : [],
            Failing = item.Group == MatchGroup.NearMiss ? e.NearMissCriterion : null,
            Helpers = item.Helpers.Count == 0 ? [] : item.Helpers.Select(h => new MeasureLink(h.MeasureId, h.Title, h.TitleEn)).ToList(),
            HelperNotices = item.Helpers.Count == 0 || openNotices is null ? [] : item.Helpers
                .SelectMany(h => openNotices.GetValueOrDefault(h.MeasureId) ?? []).DistinctBy(n => n.NoticeId).ToList(),
            Compact = compact,
        };
    }

    public static MeasureCardModel FromMeasure(MeasureVersionRow m, PeriodStatus period, string? snippetHtml) =>
        new(m, period, "/measures/" + Uri.EscapeDataString(m.MeasureId))
        {
            Source = $"{m.PlanTitle} · {m.ClauseRef}",
            NotMatched = m.IsMatched ? null : m.BeneficiaryOf,
            SnippetHtml = snippetHtml,
        };
}
