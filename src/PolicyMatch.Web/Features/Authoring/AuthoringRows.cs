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
    /// <summary>
    /// The stored profile (profile_json) as UTF-8 bytes, which is what the JSON parser reads: as a string it
    /// would be decoded from the database's UTF-8 and encoded back, twice the bytes for every profile.
    /// </summary>
    public byte[] ProfileUtf8 { get; init; } = [];

    /// <summary>Null while nobody has proved the company's ownership (issue 14 item 8): exports say so.</summary>
    public string? VerifiedAt { get; init; }
}
