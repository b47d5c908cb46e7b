namespace PolicyMatch.Web.Features.Profiles;

/// <summary>The profile form with what was typed and one message per field that needs fixing.</summary>
public sealed record ProfileFormView(ProfileForm Form, IReadOnlyDictionary<string, string> Errors)
{
    public static ProfileFormView Empty() => new(new ProfileForm(), new Dictionary<string, string>());

    public string? ErrorFor(string fact) => Errors.GetValueOrDefault(fact);

    public string InvalidClass(string fact) => Errors.ContainsKey(fact) ? "invalid" : "";

    /// <summary>The errors in the order the form shows its fields (the validator finds them in another order).</summary>
    public IEnumerable<KeyValuePair<string, string>> ErrorsInFormOrder => Errors.OrderBy(e => FormPosition(e.Key));

    private static readonly string[] CertificateParts = ["number", "issued_on", "expires_on"];

    private static (int Fact, int Part) FormPosition(string key)
    {
        var dot = key.IndexOf('.');
        var fact = dot < 0 ? key : key[..dot];
        var index = ProfileValidator.PublicFacts.ToList().IndexOf(fact);
        return (index < 0 ? int.MaxValue : index, dot < 0 ? -1 : Array.IndexOf(CertificateParts, key[(dot + 1)..]));
    }
}
