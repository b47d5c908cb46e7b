using PolicyMatch.Web.Features.Catalog;

namespace PolicyMatch.Web.Features.Authoring;

// Typed rows of the authoring queries (ImpactPreview). A measure's state and versions are the catalog's (Catalog/MeasureState.cs).

/// <summary>A company as the impact preview reads it: identity and the stored profile.</summary>
public sealed record CompanyProfileRow
{
    public long Id { get; init; }
    public string Uscc { get; init; } = "";
    public string Name { get; init; } = "";
    public string District { get; init; } = "";
    public string ProfileJson { get; init; } = "{}";

    /// <summary>Null while nobody has proved the company's ownership (issue 14 item 8): exports say so.</summary>
    public string? VerifiedAt { get; init; }
}
