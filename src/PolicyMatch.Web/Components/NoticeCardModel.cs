namespace PolicyMatch.Web.Components;

/// <summary>What a notice card shows.</summary>
public sealed record NoticeCardModel(string Id, string Kind, string Title, DateOnly PublishedOn, DateOnly? WindowOpens, DateOnly? WindowCloses)
{
    /// <summary>The measures of the company's result the notice concerns (titles).</summary>
    public IReadOnlyList<string> Concerns { get; init; } = [];
}
