namespace PolicyMatch.Web.Features.Profiles;

/// <summary>The profile form with what was typed and one message per field that needs fixing.</summary>
public sealed record ProfileFormView(ProfileForm Form, IReadOnlyDictionary<string, string> Errors)
{
    public static ProfileFormView Empty() => new(new ProfileForm(), new Dictionary<string, string>());

    public string? ErrorFor(string fact) => Errors.GetValueOrDefault(fact);

    public string InvalidClass(string fact) => Errors.ContainsKey(fact) ? "invalid" : "";
}
