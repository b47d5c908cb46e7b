namespace PolicyMatch.Web.Features.Account;

public sealed record UserRow
{
    public long Id { get; init; }
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public string Role { get; init; } = "";
    public string? PrivacyVersion { get; init; }
    public string? PrivacyAcceptedAt { get; init; }
    /// <summary>Carried in the auth cookie; a cookie with another value is refused (see <see cref="SecurityStamps"/>).</summary>
    public string SecurityStamp { get; init; } = "";
}
