namespace PolicyMatch.Web.Features.Catalog;

public sealed class CatalogOptions
{
    /// <summary>
    /// Bearer token that authorises POST /api/catalog (import). Unset: import is refused. Until accounts
    /// land this is how an operator imports; with accounts, administrators will import from the portal.
    /// </summary>
    public string? ImportToken { get; set; }

    /// <summary>Largest accepted import, in bytes.</summary>
    public long MaxImportBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>
    /// How often a node asks the database whether another node changed the published catalog
    /// (one single-row read). A change made on this node is seen at once.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}
