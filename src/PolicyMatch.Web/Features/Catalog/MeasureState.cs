namespace PolicyMatch.Web.Features.Catalog;

// A measure's life cycle as the catalog stores it: read by authoring and the admin pages, so it lives
// here, where both depend on it, rather than in either of them.

/// <summary>A measure's lifecycle: its status, its newest (current) and its published version.</summary>
public sealed record MeasureState
{
    public string Id { get; init; } = "";
    public string PlanId { get; init; } = "";
    public MeasureStatus Status { get; init; } = MeasureStatus.Draft;
    public long CurrentVersion { get; init; }
    public long? PublishedVersion { get; init; }
    public string CreatedAt { get; init; } = "";
    public string UpdatedAt { get; init; } = "";

    /// <summary>The title of the newest version.</summary>
    public string Title { get; init; } = "";

    public string CurrentAuthor { get; init; } = "";

    /// <summary>A version newer than the published one is waiting (or nothing was ever published).</summary>
    public bool HasDraft => PublishedVersion != CurrentVersion;

    /// <summary>Publishing would change something: a pending draft, or a retired measure to bring back.</summary>
    public bool CanPublish => HasDraft || Status != MeasureStatus.Published;
}

public sealed record MeasureVersionInfo
{
    public long Version { get; init; }
    public string Title { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string CreatedBy { get; init; } = "";
    public string? AuthorName { get; init; }
    public string ContentHash { get; init; } = "";

    /// <summary>"王芳 (wang@example.com)" for a user, else what was recorded ("seed").</summary>
    public string Author => AuthorName is null ? CreatedBy : $"{AuthorName} ({CreatedBy})";
}
