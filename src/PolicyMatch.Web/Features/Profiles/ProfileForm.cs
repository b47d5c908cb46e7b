namespace PolicyMatch.Web.Features.Profiles;

/// <summary>
/// The profile form as typed. Every field is a string so that whatever was entered — even "abc" in a
/// number field — comes back to the form with its error; <see cref="ProfileValidator"/> turns it into
/// a profile. Tri-state questions take "", "yes" or "no": unanswered is unknown, never "no".
/// </summary>
public sealed class ProfileForm
{
    public string? Name { get; set; }
    public string? Uscc { get; set; }
    public string? District { get; set; }
    public List<string> Zones { get; set; } = [];
    public string? IndustryCode { get; set; }
    public List<string> FocusAreas { get; set; } = [];
    public string? EstablishedOn { get; set; }
    public string? Employees { get; set; }
    public string? RevenueLastYear { get; set; }
    public string? RdExpenseLastYear { get; set; }
    public string? Hightech { get; set; }
    public string? HightechNumber { get; set; }
    public string? HightechIssuedOn { get; set; }
    public string? HightechExpiresOn { get; set; }
    public string? TechSme { get; set; }
    public string? TechSmeYear { get; set; }
    public string? SrdiLevel { get; set; }
    public string? Unicorn { get; set; }
    public string? Gazelle { get; set; }
    public string? ListingStatus { get; set; }
    public string? InventionPatents { get; set; }
    public string? PostdocWorkstation { get; set; }
    public string? UniversityJointLab { get; set; }
    public string? IncubatorTenant { get; set; }
    public string? UniversitySpinoff { get; set; }

    /// <summary>The evaluation date (default today).</summary>
    public string? AsOf { get; set; }

    /// <summary>The form's fields as query-string pairs: links to a measure carry the profile along.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ToQuery()
    {
        foreach (var p in typeof(ProfileForm).GetProperties().Where(p => p.CanWrite))
        {
            switch (p.GetValue(this))
            {
                case string s when s.Length > 0:
                    yield return new(p.Name, s);
                    break;
                case List<string> list:
                    foreach (var item in list)
                    {
                        yield return new(p.Name, item);
                    }
                    break;
            }
        }
    }

    public bool IsEmpty => !ToQuery().Any(kv => kv.Key != nameof(AsOf));
}
